// "My uploads": every video a user uploaded, newest first, with what it belongs to (a movie,
// or an episode of a series) and whether a failed one can still be retried.
import { and, count, desc, eq, inArray, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import { episodes, media, seasons, titles } from '../db/schema'
import type { Store } from '../deps'
import { type Paging, offsetOf } from '../http/model'
import type { Translate } from '../i18n'
import { failureMessage, isFailureCode } from '../transcoding/failure'
import { type MediaJson, toMediaJson } from './json'
import type { MediaRow } from './service'
import { hasSourceFile } from './source'

export type MediaPlace = {
  title: { id: number; name: string; kind: 'movie' | 'series' } | null
  episode: { id: number; number: number; name: string; seasonNumber: number } | null
}

export type MyMedia = MediaJson &
  MediaPlace & {
    // The failure reason in the reader's language (null unless failed).
    errorMessage: string | null
    // A failed upload keeps its file for FailedSourceDays: until then it can be retried,
    // after that its source is gone.
    canRetry: boolean
    isSourceGone: boolean
  }

const seriesTitles = alias(titles, 'series_titles')

// The reason in the reader's language; rows failed before reasons had codes keep their text.
export function failureText(t: Translate, row: Pick<MediaRow, 'error' | 'errorCode' | 'errorParams'>): string | null {
  if (!isFailureCode(row.errorCode)) return row.error
  return failureMessage(t, { code: row.errorCode, params: row.errorParams ?? undefined })
}

function placeOf(found: {
  movie: { id: number; name: string } | null
  episode: { id: number; number: number; name: string } | null
  season: { number: number } | null
  series: { id: number; name: string } | null
}): MediaPlace {
  if (found.movie) return { title: { ...found.movie, kind: 'movie' }, episode: null }
  const episode = found.episode && found.season ? { ...found.episode, seasonNumber: found.season.number } : null
  return { title: found.series && { ...found.series, kind: 'series' }, episode }
}

export async function listMediaOf(
  store: Store,
  options: { ownerId: number; paging: Paging; t: Translate },
): Promise<{ items: MyMedia[]; total: number }> {
  const { db } = store
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({
        row: media,
        movie: { id: titles.id, name: titles.name },
        episode: { id: episodes.id, number: episodes.number, name: episodes.name },
        season: { number: seasons.number },
        series: { id: seriesTitles.id, name: seriesTitles.name },
      })
      .from(media)
      .leftJoin(titles, eq(titles.id, media.titleId))
      .leftJoin(episodes, eq(episodes.id, media.episodeId))
      .leftJoin(seasons, eq(seasons.id, episodes.seasonId))
      .leftJoin(seriesTitles, eq(seriesTitles.id, seasons.titleId))
      .where(eq(media.ownerId, options.ownerId))
      .orderBy(desc(media.id))
      .limit(options.paging.perPage)
      .offset(offsetOf(options.paging)),
    db.select({ total: count() }).from(media).where(eq(media.ownerId, options.ownerId)),
  ])
  const items = await Promise.all(
    rows.map(async found => {
      const isFailed = found.row.status === 'failed'
      const hasSource = isFailed && (await hasSourceFile(store.mediaDataPath, found.row.id))
      return {
        ...toMediaJson(found.row),
        ...placeOf(found),
        errorMessage: isFailed ? failureText(options.t, found.row) : null,
        canRetry: hasSource,
        isSourceGone: isFailed && !hasSource,
      }
    }),
  )
  return { items, total }
}

export type VideoBadge = 'processing' | 'failed'

const badgeOfStatus: Partial<Record<MediaRow['status'], VideoBadge>> = {
  queued: 'processing',
  processing: 'processing',
  failed: 'failed',
}

// The catalogue's badge on a title card: the viewer's newest video of the movie (or of any
// of its episodes) is still processing, or has failed (failed wins). Their own uploads only:
// others see nothing. One statement.
export async function videoBadgesOf(store: Store, viewerId: number, titleIds: number[]): Promise<Map<number, VideoBadge>> {
  if (titleIds.length === 0) return new Map()
  const titleOf = sql<number>`coalesce(${media.titleId}, ${seasons.titleId})`
  const rows = await store.db
    .select({ titleId: titleOf, episodeId: media.episodeId, status: media.status })
    .from(media)
    .leftJoin(episodes, eq(episodes.id, media.episodeId))
    .leftJoin(seasons, eq(seasons.id, episodes.seasonId))
    .where(and(eq(media.ownerId, viewerId), inArray(titleOf, titleIds)))
    .orderBy(desc(media.id))
  const seenTargets = new Set<string>()
  const badges = new Map<number, VideoBadge>()
  for (const row of rows) {
    const target = `${row.titleId}:${row.episodeId ?? ''}`
    if (seenTargets.has(target)) continue
    seenTargets.add(target)
    const badge = badgeOfStatus[row.status]
    if (badge && badges.get(row.titleId) !== 'failed') badges.set(row.titleId, badge)
  }
  return badges
}
