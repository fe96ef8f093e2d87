// The transcoding queue as admins see it: jobs waiting, running (with the media's percent)
// and failed (with ffmpeg's last lines), cancelling one (the disk's use: disk-use.ts).
import { count, eq, inArray, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import type { User } from '../auth/users'
import { episodes, jobs, media, seasons, titles, users } from '../db/schema'
import type { Store } from '../deps'
import { conflict, notFound } from '../http/errors'
import type { Paging } from '../http/model'
import { offsetOf } from '../http/model'
import { publishMaster } from '../hls/publish'
import { cancelJob } from '../transcoding/jobs'
import { retryMedia } from './retry'

const shownStatuses = ['queued', 'running', 'failed'] as const
const seriesTitles = alias(titles, 'series_titles')

// Running first, then the queue in the order workers take it (oldest first), then the
// latest failures.
const queueOrder = sql`CASE ${jobs.status} WHEN 'running' THEN 0 WHEN 'queued' THEN 1 ELSE 2 END,
  CASE WHEN ${jobs.status} = 'failed' THEN -${jobs.id} ELSE ${jobs.id} END`

export type QueueStatus = (typeof shownStatuses)[number]

// `status` narrows the list to one kind of job.
export async function listQueue(store: Store, paging: Paging, status?: QueueStatus) {
  const { db } = store
  const isShown = status ? eq(jobs.status, status) : inArray(jobs.status, [...shownStatuses])
  const [items, [{ total }]] = await Promise.all([
    db
      .select({
        id: jobs.id,
        mediaId: jobs.mediaId,
        status: jobs.status,
        attempts: jobs.attempts,
        runner: jobs.leaseOwner,
        stderrTail: jobs.stderrTail,
        updatedAt: jobs.updatedAt,
        progress: media.progress,
        error: media.error,
        errorCode: media.errorCode,
        errorParams: media.errorParams,
        owner: users.username,
        titleName: sql<string | null>`coalesce(${titles.name}, ${seriesTitles.name})`,
        episodeName: episodes.name,
      })
      .from(jobs)
      .innerJoin(media, eq(media.id, jobs.mediaId))
      .leftJoin(users, eq(users.id, media.ownerId))
      .leftJoin(titles, eq(titles.id, media.titleId))
      .leftJoin(episodes, eq(episodes.id, media.episodeId))
      .leftJoin(seasons, eq(seasons.id, episodes.seasonId))
      .leftJoin(seriesTitles, eq(seriesTitles.id, seasons.titleId))
      .where(isShown)
      .orderBy(queueOrder)
      .limit(paging.perPage)
      .offset(offsetOf(paging)),
    db.select({ total: count() }).from(jobs).where(isShown),
  ])
  // The WHERE keeps only the shown statuses.
  return { items: items.map(item => ({ ...item, status: item.status as QueueStatus })), total }
}

export type QueueJob = Awaited<ReturnType<typeof listQueue>>['items'][number]

async function mediaIdOfJob(store: Store, jobId: number): Promise<number> {
  const [job] = await store.db.select({ mediaId: jobs.mediaId }).from(jobs).where(eq(jobs.id, jobId))
  if (!job) throw notFound('job_not_found', `There is no job ${jobId}`)
  return job.mediaId
}

// Out of the queue, or stopped: a running job's worker gives up at its next heartbeat.
export async function cancelQueuedJob(store: Store, jobId: number): Promise<void> {
  const mediaId = await mediaIdOfJob(store, jobId)
  if (!(await cancelJob(store.db, jobId))) throw conflict('job_not_active', `Job ${jobId} is neither queued nor running`)
  // A run stopped after its first segments had published a master: no longer served.
  await publishMaster(store.db, store.mediaDataPath, mediaId)
}

export async function retryJob(store: Store, admin: User, jobId: number) {
  return retryMedia(store, admin, await mediaIdOfJob(store, jobId))
}
