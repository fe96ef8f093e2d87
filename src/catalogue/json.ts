// Rows → the contract's JSON documents (shared/api.md). Pure functions, no queries.
import type { EpisodeRow, MediaRow, SeasonRow, TitleRow } from '../db/rows'
import { mediaFileUrl, posterFileName, publicationUri } from '../hls/layout'
import { toMediaJson } from '../media/json'
import type { Episode, Season, Title } from './model'

export type { EpisodeRow, MediaRow, SeasonRow, TitleRow }

// What a title document needs beyond its row: per-viewer and per-media facts.
export type TitleExtras = { myRating: number | null; posterMediaId: number | null; posterPublications: number | null }

export function ratingSummary(sum: number, count: number) {
  return { average: count === 0 ? null : Math.round((sum / count) * 10) / 10, count }
}

// Served `immutable`: the URI names the publication of the media that made it (hls/layout.ts).
export function posterUrl(mediaId: number | null, publications: number | null): string | null {
  return mediaId === null ? null : mediaFileUrl(mediaId, publicationUri(posterFileName, publications ?? 0))
}

export function toTitleJson(row: TitleRow, extras: TitleExtras): Title {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    originalName: row.originalName,
    year: row.year,
    description: row.description,
    genres: row.genres,
    ownerId: row.ownerId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    rating: ratingSummary(row.ratingSum, row.ratingCount),
    myRating: extras.myRating,
    posterUrl: posterUrl(extras.posterMediaId, extras.posterPublications),
  }
}

export function toSeasonJson(row: SeasonRow): Season {
  return {
    id: row.id,
    titleId: row.titleId,
    number: row.number,
    name: row.name,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }
}

export function toEpisodeJson(row: EpisodeRow, titleId: number, video: MediaRow | undefined): Episode {
  return {
    id: row.id,
    titleId,
    seasonId: row.seasonId,
    number: row.number,
    name: row.name,
    description: row.description,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    media: video ? toMediaJson(video) : null,
  }
}

// A movie or episode shows its newest video: a replacement upload supersedes the old one.
export function newestMediaBy(rows: MediaRow[], key: (row: MediaRow) => number | null): Map<number, MediaRow> {
  const newest = new Map<number, MediaRow>()
  for (const row of rows) {
    const owner = key(row)
    if (owner === null) continue
    const current = newest.get(owner)
    if (!current || row.id > current.id) newest.set(owner, row)
  }
  return newest
}
