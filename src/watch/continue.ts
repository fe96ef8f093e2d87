// "Continue watching": the titles a user stopped in the middle of, the most recently watched
// first; for a series, the episode watched last. A video watched into its last 5% (or its
// last 30 s) counts as finished and leaves the row; one barely started (under 5 s) has not
// entered it.
import { and, desc, eq, gte, sql } from 'drizzle-orm'
import type { Db } from '../db/client'
import { episodes, media, seasons, titles, watchPositions } from '../db/schema'
import { posterUrl } from '../catalogue/json'
import type { ContinueItem } from './model'

export const continueWatchingLimit = 12
const startedSec = 5
const finishedShare = 0.95
const finishedTailSec = 30
// Rows read to find that many titles: a series watched episode after episode has many.
const rowsRead = 200

export async function continueWatching(db: Db, userId: number): Promise<ContinueItem[]> {
  const titleId = sql<number>`coalesce(${media.titleId}, ${seasons.titleId})`
  const rows = await db
    .select({
      titleId,
      titleName: titles.name,
      mediaId: media.id,
      publications: media.publications,
      positionSec: watchPositions.positionSec,
      durationSec: media.durationSec,
      updatedAt: watchPositions.updatedAt,
      episodeId: episodes.id,
      episodeNumber: episodes.number,
      episodeName: episodes.name,
      seasonNumber: seasons.number,
    })
    .from(watchPositions)
    .innerJoin(media, eq(media.id, watchPositions.mediaId))
    .leftJoin(episodes, eq(episodes.id, media.episodeId))
    .leftJoin(seasons, eq(seasons.id, episodes.seasonId))
    .innerJoin(titles, eq(titles.id, titleId))
    .where(and(eq(watchPositions.userId, userId), eq(media.isPlayable, true), gte(watchPositions.positionSec, startedSec)))
    .orderBy(desc(watchPositions.updatedAt), desc(watchPositions.mediaId))
    .limit(rowsRead)
  const seen = new Set<number>()
  const items: ContinueItem[] = []
  for (const row of rows) {
    if (seen.has(row.titleId)) continue
    seen.add(row.titleId)
    if (isFinished(row.positionSec, row.durationSec)) continue
    items.push(toItem(row))
    if (items.length === continueWatchingLimit) break
  }
  return items
}

function isFinished(positionSec: number, durationSec: number | null): boolean {
  if (durationSec === null) return false
  return positionSec >= durationSec * finishedShare || positionSec >= durationSec - finishedTailSec
}

type Row = {
  titleId: number
  titleName: string
  mediaId: number
  publications: number
  positionSec: number
  durationSec: number | null
  updatedAt: string
  episodeId: number | null
  episodeNumber: number | null
  episodeName: string | null
  seasonNumber: number | null
}

function toItem(row: Row): ContinueItem {
  const episode =
    row.episodeId === null
      ? null
      : { id: row.episodeId, seasonNumber: row.seasonNumber ?? 0, number: row.episodeNumber ?? 0, name: row.episodeName ?? '' }
  return {
    titleId: row.titleId,
    titleName: row.titleName,
    mediaId: row.mediaId,
    positionSec: row.positionSec,
    durationSec: row.durationSec,
    updatedAt: row.updatedAt,
    posterUrl: posterUrl(row.mediaId, row.publications),
    episode,
  }
}
