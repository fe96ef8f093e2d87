// Media rows: created for a title or an episode when an upload starts, read by anyone,
// deleted by the title's owner (or the uploader, or an admin) together with their files.
import { eq } from 'drizzle-orm'
import type { User } from '../auth/users'
import type { Db } from '../db/client'
import type { Store } from '../deps'
import { episodes, media, seasons, titles } from '../db/schema'
import { AppError, badRequest, notFound } from '../http/errors'
import { assertCanModify, canModify } from '../http/rights'
import { removeMediaFolders } from '../hls/layout'
import { countQueuedVideosOf } from '../transcoding/jobs'
import { removePartialUploads } from '../uploads/storage'

import type { MediaRow } from '../db/rows'
export type { MediaRow }
export type MediaStore = Store

// What a video is for: `title:<id>` (a movie) or `episode:<id>`.
export type MediaTarget = { kind: 'title' | 'episode'; id: number }
// The target as rows: exactly one of titleId/episodeId, and who owns the title.
export type ResolvedTarget = { titleId: number | null; episodeId: number | null; titleOwnerId: number | null }

export function parseTarget(text: string | null | undefined): MediaTarget | null {
  const match = /^(title|episode):([1-9]\d{0,15})$/.exec(text ?? '')
  const id = Number(match?.[2])
  return match && Number.isSafeInteger(id) ? { kind: match[1] as MediaTarget['kind'], id } : null
}

async function resolveTitle(db: Db, id: number): Promise<ResolvedTarget> {
  const [row] = await db.select({ kind: titles.kind, ownerId: titles.ownerId }).from(titles).where(eq(titles.id, id))
  if (!row) throw notFound('title_not_found', `There is no title ${id}`)
  // A series has no video of its own; each of its episodes has one.
  if (row.kind !== 'movie') throw badRequest('title_not_movie', `Title ${id} is a series: upload to one of its episodes`)
  return { titleId: id, episodeId: null, titleOwnerId: row.ownerId }
}

async function resolveEpisode(db: Db, id: number): Promise<ResolvedTarget> {
  const [row] = await db
    .select({ ownerId: titles.ownerId })
    .from(episodes)
    .innerJoin(seasons, eq(seasons.id, episodes.seasonId))
    .innerJoin(titles, eq(titles.id, seasons.titleId))
    .where(eq(episodes.id, id))
  if (!row) throw notFound('episode_not_found', `There is no episode ${id}`)
  return { titleId: null, episodeId: id, titleOwnerId: row.ownerId }
}

// The target of a new upload, after checking it exists and the user may add a video to it.
export async function resolveUploadTarget(db: Db, user: User, target: MediaTarget): Promise<ResolvedTarget> {
  const resolved = target.kind === 'title' ? await resolveTitle(db, target.id) : await resolveEpisode(db, target.id)
  assertCanModify(user, resolved.titleOwnerId, `the videos of this ${target.kind}`)
  return resolved
}

// One user cannot fill the queue: with `maxQueued` videos waiting or processing, a new
// upload is refused where it starts (tus POST, raw PUT, form post), before any byte.
export async function assertCanQueueVideo(db: Db, user: User, maxQueued: number): Promise<void> {
  const queued = await countQueuedVideosOf(db, user.id)
  if (queued >= maxQueued)
    throw new AppError(
      'too_many_queued_videos',
      `${queued} of your videos are waiting to be processed, the most allowed; upload more once some are ready`,
    )
}

// A new video always gets a new row; the worker removes the older one of the same
// target once this one is ready, so a replacement never leaves the title without video.
export async function createUploadingMedia(
  db: Db,
  input: { target: ResolvedTarget; ownerId: number; originalFilename: string | null },
): Promise<MediaRow> {
  const [row] = await db
    .insert(media)
    .values({
      titleId: input.target.titleId,
      episodeId: input.target.episodeId,
      ownerId: input.ownerId,
      originalFilename: input.originalFilename,
      status: 'uploading',
    })
    .returning()
  return row
}

export async function findMedia(db: Db, id: number): Promise<MediaRow | undefined> {
  return db.query.media.findFirst({ where: eq(media.id, id) })
}

export async function getMedia(db: Db, id: number): Promise<MediaRow> {
  const row = await findMedia(db, id)
  if (!row) throw notFound('media_not_found', `There is no media ${id}`)
  return row
}

async function titleOwnerOf(db: Db, row: MediaRow): Promise<number | null> {
  if (row.titleId !== null) {
    const [title] = await db.select({ ownerId: titles.ownerId }).from(titles).where(eq(titles.id, row.titleId))
    return title?.ownerId ?? null
  }
  if (row.episodeId === null) return null
  const [episode] = await db
    .select({ ownerId: titles.ownerId })
    .from(episodes)
    .innerJoin(seasons, eq(seasons.id, episodes.seasonId))
    .innerJoin(titles, eq(titles.id, seasons.titleId))
    .where(eq(episodes.id, row.episodeId))
  return episode?.ownerId ?? null
}

// The title's owner manages its videos, whoever uploaded them; the uploader keeps the
// right too (an admin's upload to someone's title stays the admin's to remove as well).
export async function assertCanModifyMedia(db: Db, user: User, row: MediaRow) {
  if (canModify(user, row.ownerId)) return
  assertCanModify(user, (await titleOwnerOf(db, row)) ?? row.ownerId, 'this video')
}

// The row goes first (its jobs cascade, so a worker sees its job vanish and stops),
// then the files: a crash in between leaves files without a row, never a row without files.
export async function deleteMedia(store: MediaStore, id: number): Promise<void> {
  await store.db.delete(media).where(eq(media.id, id))
  await removeMediaFolders(store.mediaDataPath, [id])
  await removePartialUploads(store.mediaDataPath, id)
}
