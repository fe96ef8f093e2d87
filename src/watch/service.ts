// "Continue watching": where each signed-in user stopped in each video.
import { and, eq, sql } from 'drizzle-orm'
import type { Db } from '../db/client'
import { watchPositions } from '../db/schema'
import { getMedia } from '../media/service'
import type { Position } from './model'

export async function getWatchPosition(db: Db, userId: number, mediaId: number): Promise<Position> {
  await getMedia(db, mediaId)
  return findWatchPosition(db, userId, mediaId)
}

// Without the media check, for pages that have just loaded the media themselves.
export async function findWatchPosition(db: Db, userId: number, mediaId: number): Promise<Position> {
  const [row] = await db
    .select({ positionSec: watchPositions.positionSec, updatedAt: watchPositions.updatedAt })
    .from(watchPositions)
    .where(and(eq(watchPositions.userId, userId), eq(watchPositions.mediaId, mediaId)))
  return { mediaId, positionSec: row?.positionSec ?? null, updatedAt: row?.updatedAt ?? null }
}

// One row per user and video, replaced on every save; a position past the end (a player
// rounding up) is kept at the end.
export async function saveWatchPosition(db: Db, userId: number, mediaId: number, positionSec: number): Promise<Position> {
  const video = await getMedia(db, mediaId)
  const clamped = video.durationSec === null ? positionSec : Math.min(positionSec, video.durationSec)
  const now = new Date().toISOString()
  const [row] = await db
    .insert(watchPositions)
    .values({ userId, mediaId, positionSec: clamped, updatedAt: now })
    .onConflictDoUpdate({
      target: [watchPositions.userId, watchPositions.mediaId],
      set: { positionSec: sql`excluded.position_sec`, updatedAt: now },
    })
    .returning({ positionSec: watchPositions.positionSec, updatedAt: watchPositions.updatedAt })
  return { mediaId, ...row }
}
