// Transcoding jobs in libSQL: the server enqueues, workers (workers/transcode.ts, on this
// machine or another sharing the database and MediaDataPath) claim them with a lease.
//
// A worker holds its job by renewing `lease_expires_at_ms` every heartbeat. A lease that
// ran out belongs to a worker that died (kill -9, power cut): the next claim takes the job
// over and redoes it from a clean state. Every claim counts as an attempt; a job that has
// died `maxAttempts` times is failed instead of being tried forever.
//
// One user's uploads cannot starve everyone else's: each user has at most
// `MaxQueuedJobsPerUser` videos waiting or processing, and a free worker takes the next
// job of the user it served least recently (fewest running jobs first).
import { and, count, eq, inArray, sql } from 'drizzle-orm'
import type { SQLiteUpdateSetSource } from 'drizzle-orm/sqlite-core'
import type { Db } from '../db/client'
import { jobs, media, nowIso, type SubtitleTrack } from '../db/schema'
import { updateSubtitleTracks } from '../hls/publish'
import { englishFailureMessage, type FailureReason } from './failure'
import { deleteOlderMedia } from './retire'

export const maxAttempts = 3

// A finished upload becomes `queued` together with its job, in one transaction, so a
// crash between the two can never leave a media that no worker will ever pick up. Only an
// `uploading` row moves: whoever finishes an upload second (a HEAD racing the last PATCH,
// the start-up scan) changes nothing, so an upload is queued exactly once. Returns
// whether this call queued it.
export async function enqueueTranscode(db: Db, mediaId: number, sizeBytes: number): Promise<boolean> {
  const isUploading = and(eq(media.id, mediaId), eq(media.status, 'uploading'))
  const [, queued] = await db.batch([
    db.run(sql`INSERT INTO ${jobs} (${sql.identifier(jobs.mediaId.name)})
      SELECT ${media.id} FROM ${media} WHERE ${isUploading}`),
    db
      .update(media)
      .set({ status: 'queued', progress: 0, error: null, errorCode: null, errorParams: null, sizeBytes, updatedAt: nowIso })
      .where(isUploading)
      .returning({ id: media.id }),
  ])
  if (queued.length === 0) return false
  for (const listener of queuedListeners) listener()
  return true
}

// Workers find jobs by polling the database (they may run on other machines); the
// server's own workers are also told at once, so a new upload starts without that wait.
const queuedListeners = new Set<() => void>()

export function onJobQueued(listener: () => void): () => void {
  queuedListeners.add(listener)
  return () => queuedListeners.delete(listener)
}

export type JobTimings = { leaseMs: number; heartbeatMs: number; pollMs: number }

function positiveFromEnv(env: Record<string, string | undefined>, key: string, fallback: number): number {
  const value = Number(env[key])
  return Number.isFinite(value) && value > 0 ? value : fallback
}

// Tests shorten these (a killed worker's job is taken over after one lease).
export function jobTimingsFromEnv(env: Record<string, string | undefined> = process.env): JobTimings {
  const leaseMs = positiveFromEnv(env, 'MOVIEPOINT_JOB_LEASE_MS', 10_000)
  return {
    leaseMs,
    heartbeatMs: positiveFromEnv(env, 'MOVIEPOINT_JOB_HEARTBEAT_MS', Math.round(leaseMs / 4)),
    pollMs: positiveFromEnv(env, 'MOVIEPOINT_JOB_POLL_MS', 500),
  }
}

// `leasedAt`: when the claim that gave the lease was sent (its lease runs from then).
export type ClaimedJob = { id: number; mediaId: number; attempts: number; owner: string; leasedAt?: Instant }

const isExpired = (nowMs: number) => sql`${jobs.status} = 'running' AND ${jobs.leaseExpiresAtMs} < ${nowMs}`

// Jobs whose worker died on the last allowed attempt: failed, with their media.
async function failExhaustedJobs(db: Db, nowMs: number): Promise<void> {
  const exhausted = await db
    .update(jobs)
    .set({ status: 'failed', leaseOwner: null, leaseExpiresAtMs: null, updatedAt: nowIso })
    .where(sql`${isExpired(nowMs)} AND ${jobs.attempts} >= ${maxAttempts}`)
    .returning({ mediaId: jobs.mediaId })
  for (const { mediaId } of exhausted)
    await markMediaFailed(db, mediaId, { code: 'stopped_repeatedly', params: { attempts: maxAttempts } })
}

// The job to take: waiting, or left by a worker that stopped renewing its lease. Among
// those, the one of the user with the fewest jobs running, then of the user who got a
// worker least recently (never first), then the oldest.
function nextCandidate(nowMs: number) {
  const ownerOf = (alias: string) => sql.raw(`(SELECT owner_id FROM media WHERE media.id = ${alias}.media_id)`)
  return sql`(SELECT c.id FROM ${jobs} c
    WHERE c.status = 'queued' OR (c.status = 'running' AND c.lease_expires_at_ms < ${nowMs} AND c.attempts < ${maxAttempts})
    ORDER BY
      (SELECT count(*) FROM ${jobs} r WHERE r.status = 'running' AND r.lease_expires_at_ms >= ${nowMs}
        AND ${ownerOf('r')} = ${ownerOf('c')}),
      (SELECT max(s.claimed_at_ms) FROM ${jobs} s WHERE ${ownerOf('s')} = ${ownerOf('c')}),
      c.id
    LIMIT 1)`
}

// One UPDATE … RETURNING: two workers can never both win the same row.
export async function claimNextJob(db: Db, options: { owner: string; leaseMs: number }): Promise<ClaimedJob | null> {
  const leasedAt = instantNow()
  const nowMs = leasedAt.wallMs
  await failExhaustedJobs(db, nowMs)
  const candidate = nextCandidate(nowMs)
  const [job] = await db
    .update(jobs)
    .set({
      status: 'running',
      attempts: sql`${jobs.attempts} + 1`,
      leaseOwner: options.owner,
      leaseExpiresAtMs: nowMs + options.leaseMs,
      claimedAtMs: nowMs,
      updatedAt: nowIso,
    })
    .where(sql`${jobs.id} = ${candidate}`)
    .returning({ id: jobs.id, mediaId: jobs.mediaId, attempts: jobs.attempts })
  return job ? { ...job, owner: options.owner, leasedAt } : null
}

const isHeldBy = (job: ClaimedJob) => and(eq(jobs.id, job.id), eq(jobs.leaseOwner, job.owner), eq(jobs.status, 'running'))

export type LeaseState = 'held' | 'lost' | 'media_deleted' | 'cancelled'

// Why a job is no longer this worker's. `cancelled`: an admin stopped it (cancelJob keeps
// the lease fields, so nobody else works in the folder until the lease runs out). `lost`:
// another worker took the job over (this one stalled past its lease). `media_deleted`: the
// media row went away, and its job with it (cascade).
async function whyNotHeld(db: Db, job: ClaimedJob): Promise<LeaseState> {
  const [row] = await db.select({ status: jobs.status, leaseOwner: jobs.leaseOwner }).from(jobs).where(eq(jobs.id, job.id))
  if (row?.status === 'failed' && row.leaseOwner === job.owner) return 'cancelled'
  const [mediaRow] = await db.select({ id: media.id }).from(media).where(eq(media.id, job.mediaId))
  return mediaRow ? 'lost' : 'media_deleted'
}

// Extends the lease, or says why the job is no longer ours.
export async function renewLease(db: Db, job: ClaimedJob, leaseMs: number): Promise<LeaseState> {
  const renewed = await db
    .update(jobs)
    .set({ leaseExpiresAtMs: Date.now() + leaseMs })
    .where(isHeldBy(job))
    .returning({ id: jobs.id })
  return renewed.length > 0 ? 'held' : whyNotHeld(db, job)
}

// Passed before every step that publishes a file (a rename into the served folders, a
// playlist or master written): resolves at once while the lease surely has a while to run,
// else once a renewal proves the job is still ours; throws the LeaseState otherwise. A
// worker that stalled past its lease (a VM pause, a swap storm, SIGSTOP) and is resumed
// thus publishes nothing more, even before its heartbeat, a timer, gets to run: its files
// would land among those of the worker that took the job over (docs/hls-layout.md).
export type Fence = () => Promise<void>

export type Lease = { signal: AbortSignal; stop: () => void; fence: Fence }

// How long before its end a lease stops counting as held without asking the database:
// clocks of two machines differ, and the check is not the rename (leaseMs / 4: 2.5 s by
// default, ten heartbeats in the tests' 3 s).
const fenceMarginOf = (leaseMs: number) => leaseMs / 4

// An instant on two clocks: the monotonic one (performance.now) never jumps back with the
// wall clock; the wall clock (Date.now, which leases in the database are written in) also
// counts a machine's suspend, which the monotonic one may not.
export type Instant = { monotonicMs: number; wallMs: number }

export const instantNow = (): Instant => ({ monotonicMs: performance.now(), wallMs: Date.now() })

const msSince = (instant: Instant) => Math.max(performance.now() - instant.monotonicMs, Date.now() - instant.wallMs)

// The fence of a lease, from what its holder knows: when the lease was last renewed (from
// when that renewal was sent: renewLease reads the clock then), how to renew it now, and
// the signal aborted (with its LeaseState) once it is no longer the holder's.
export function leaseFence(lease: {
  leaseMs: number
  signal: AbortSignal
  renewedAt: () => Instant
  renew: () => Promise<void>
  abort: (reason: LeaseState) => void
}): Fence {
  const isSafe = () => msSince(lease.renewedAt()) < lease.leaseMs - fenceMarginOf(lease.leaseMs)
  return async () => {
    // Checked synchronously, just before the caller's step: nothing else runs in between.
    for (let tries = 0; !lease.signal.aborted && !isSafe(); tries++) {
      // The database could not confirm in time that the job is still ours: as good as lost.
      if (tries === 2) lease.abort('lost')
      else await lease.renew()
    }
    if (lease.signal.aborted) throw lease.signal.reason
  }
}

// Renews the lease every heartbeat until stopped; aborts `signal` (reason: the LeaseState)
// when the job is no longer ours. A database hiccup is retried until the lease would run out.
export function keepLeaseAlive(db: Db, job: ClaimedJob, timings: JobTimings): Lease {
  const controller = new AbortController()
  let renewedAt = job.leasedAt ?? instantNow()
  let renewing: Promise<void> | null = null
  const renew = async () => {
    const sentAt = instantNow()
    try {
      const state = await renewLease(db, job, timings.leaseMs)
      if (state === 'held') renewedAt = sentAt
      else controller.abort(state)
    } catch (error) {
      console.warn(`job ${job.id}: lease renewal failed: ${(error as Error).message}`)
      if (msSince(renewedAt) > timings.leaseMs) controller.abort('lost')
    } finally {
      renewing = null
    }
  }
  // One renewal at a time: the heartbeat's and a fence's are the same.
  const renewOnce = () => (renewing ??= renew())
  const { signal } = controller
  const fence = leaseFence({
    leaseMs: timings.leaseMs,
    signal,
    renewedAt: () => renewedAt,
    renew: renewOnce,
    abort: reason => controller.abort(reason),
  })
  const timer = setInterval(() => signal.aborted || renewOnce(), timings.heartbeatMs)
  return { signal, stop: () => clearInterval(timer), fence }
}

// The reason is kept as a code for pages (in the viewer's language) and as the English
// sentence the API gives.
export async function markMediaFailed(db: Db, mediaId: number, reason: FailureReason): Promise<void> {
  await db
    .update(media)
    .set({ ...failedPatch(reason), updatedAt: nowIso })
    .where(eq(media.id, mediaId))
}

function failedPatch(reason: FailureReason) {
  return {
    status: 'failed' as const,
    error: englishFailureMessage(reason),
    errorCode: reason.code,
    errorParams: reason.params ?? null,
  }
}

// The worker is done with the job for good: done, or failed with a reason for the uploader.
export async function finishJob(
  db: Db,
  job: ClaimedJob,
  outcome: { status: 'done' } | { status: 'failed'; reason: FailureReason; stderrTail?: string },
): Promise<void> {
  const stderrTail = outcome.status === 'failed' ? (outcome.stderrTail ?? null) : undefined
  const finished = db
    .update(jobs)
    .set({ status: outcome.status, leaseOwner: null, leaseExpiresAtMs: null, stderrTail, updatedAt: nowIso })
    .where(isHeldBy(job))
  if (outcome.status === 'done') {
    await finished
    return
  }
  // The media first: its lease check reads the job row before this batch releases it.
  await db.batch([updateHeldMedia(db, job, failedPatch(outcome.reason)), finished])
}

// Back to the queue: after a transient failure (counted as an attempt, so a file that
// crashes ffmpeg every time still ends `failed`), or on a clean shutdown (not counted).
export async function releaseJob(db: Db, job: ClaimedJob, options: { isAttemptCounted: boolean; stderrTail?: string }): Promise<void> {
  if (options.isAttemptCounted && job.attempts >= maxAttempts) {
    await finishJob(db, job, {
      status: 'failed',
      reason: { code: 'failed_repeatedly', params: { attempts: maxAttempts } },
      stderrTail: options.stderrTail,
    })
    return
  }
  // The media first: its lease check reads the job row before this batch releases it.
  await db.batch([
    updateHeldMedia(db, job, { status: 'queued' }),
    db
      .update(jobs)
      .set({
        status: 'queued',
        attempts: options.isAttemptCounted ? job.attempts : job.attempts - 1,
        leaseOwner: null,
        leaseExpiresAtMs: null,
        stderrTail: options.stderrTail,
        updatedAt: nowIso,
      })
      .where(isHeldBy(job)),
  ])
}

// Videos of a user waiting for a worker or being processed: new uploads are refused
// while there are `max` of them (checked where an upload starts, before any byte).
export async function countQueuedVideosOf(db: Db, ownerId: number): Promise<number> {
  const [row] = await db
    .select({ queued: count() })
    .from(media)
    .where(and(eq(media.ownerId, ownerId), inArray(media.status, ['queued', 'processing'])))
  return row?.queued ?? 0
}

// Saves ffmpeg's last words on the job while it runs, for whoever looks at a stuck job.
export async function saveStderrTail(db: Db, job: ClaimedJob, stderrTail: string): Promise<void> {
  await db.update(jobs).set({ stderrTail }).where(isHeldBy(job))
}

type MediaPatch = Partial<typeof media.$inferInsert>

// Only while this worker still holds the job: one that lost its lease (stalled past it)
// must not write over the attempt of the worker that took the job over.
const stillHeldBy = (job: ClaimedJob) => sql`EXISTS (SELECT 1 FROM ${jobs} WHERE ${jobs.id} = ${job.id}
  AND ${jobs.leaseOwner} = ${job.owner} AND ${jobs.status} = 'running')`

function heldMediaUpdate(db: Db, job: ClaimedJob, patch: SQLiteUpdateSetSource<typeof media>) {
  return db
    .update(media)
    .set({ ...patch, updatedAt: nowIso })
    .where(and(eq(media.id, job.mediaId), stillHeldBy(job)))
}

function updateHeldMedia(db: Db, job: ClaimedJob, patch: MediaPatch) {
  return heldMediaUpdate(db, job, patch).returning({ id: media.id })
}

// An attempt about to publish: `patch` (its start) on the media, and the number of this
// publication among all of the media's, whatever job, attempt number or retry they came
// from (one more than the last, in the same statement): the tag of the URIs it lists new
// files by (previous.ts). Null if the job is no longer ours.
export async function startPublication(db: Db, job: ClaimedJob, patch: MediaPatch): Promise<number | null> {
  const counted = { ...patch, publications: sql`${media.publications} + 1` }
  const [row] = await heldMediaUpdate(db, job, counted).returning({ publications: media.publications })
  return row?.publications ?? null
}

// Changes the job's media if the job is still ours; false otherwise.
export async function updateMediaOfJob(db: Db, job: ClaimedJob, patch: MediaPatch): Promise<boolean> {
  return (await updateHeldMedia(db, job, patch)).length > 0
}

// The media update that ends a successful job, the older videos it replaces deleted (their
// rows: the caller removes their folders), and the job marked done, in one batch: all of it
// happens only while the job is still this worker's, or none of it.
export async function completeJob(
  db: Db,
  job: ClaimedJob,
  patch: MediaPatch,
): Promise<{ isCompleted: boolean; retiredMediaIds: number[] }> {
  const [updated, retired] = await db.batch([
    updateHeldMedia(db, job, patch),
    deleteOlderMedia(db, job.mediaId, stillHeldBy(job)),
    db
      .update(jobs)
      .set({ status: 'done', leaseOwner: null, leaseExpiresAtMs: null, stderrTail: null, updatedAt: nowIso })
      .where(isHeldBy(job)),
  ])
  return { isCompleted: updated.length > 0, retiredMediaIds: retired.map(row => row.id) }
}

// Adds or changes subtitle tracks of the job's media, if the job is still ours; false otherwise.
export async function updateSubtitleTracksOfJob(
  db: Db,
  job: ClaimedJob,
  change: (tracks: SubtitleTrack[]) => SubtitleTrack[],
): Promise<boolean> {
  return (await updateSubtitleTracks(db, job.mediaId, change, stillHeldBy(job))) !== null
}

// Transcoding progress (0–1) while the media is processing, if the job is still ours;
// false otherwise. Not a change people wait on, so `updatedAt` stays.
export async function saveProgress(db: Db, job: ClaimedJob, progress: number): Promise<boolean> {
  const saved = await db
    .update(media)
    .set({ progress })
    .where(and(eq(media.id, job.mediaId), eq(media.status, 'processing'), stillHeldBy(job)))
    .returning({ id: media.id })
  return saved.length > 0
}

// Whether the job is still this worker's: a write that changed nothing asks, to tell a
// lost lease from a deleted media (which takes its job with it).
export async function leaseStateOf(db: Db, job: ClaimedJob): Promise<LeaseState> {
  const [held] = await db.select({ id: jobs.id }).from(jobs).where(isHeldBy(job))
  return held ? 'held' : whyNotHeld(db, job)
}

export type RequeueOutcome = 'queued' | 'not_failed' | 'worker_stopping'

// A failed media back in the queue with a fresh job (attempts from zero, a new id: a worker
// still holding the old one fails its lease check at its next write or heartbeat). Only a
// `failed` row moves, and only when no worker can still be on it: a job cancelled while
// running keeps its lease until it runs out, so its worker has stopped before another starts
// in the same folder. Media and job change in one transaction.
export async function requeueFailedMedia(db: Db, mediaId: number): Promise<RequeueOutcome> {
  const nowMs = Date.now()
  const isFailed = and(eq(media.id, mediaId), eq(media.status, 'failed'))
  const workerStopping = sql`EXISTS (SELECT 1 FROM ${jobs} WHERE ${jobs.mediaId} = ${mediaId} AND ${jobs.leaseExpiresAtMs} >= ${nowMs})`
  const [queued] = await db.batch([
    db
      .update(media)
      .set({ status: 'queued', progress: 0, error: null, errorCode: null, errorParams: null, isPlayable: false, updatedAt: nowIso })
      .where(and(isFailed, sql`NOT ${workerStopping}`))
      .returning({ id: media.id }),
    // Only once the media moved: a refused retry leaves the stopping job (and its lease) alone.
    db.delete(jobs).where(
      and(
        eq(jobs.mediaId, mediaId),
        inArray(jobs.status, ['failed', 'done']),
        sql`EXISTS (SELECT 1 FROM ${media}
        WHERE ${media.id} = ${mediaId} AND ${media.status} = 'queued')`,
      ),
    ),
    db.run(sql`INSERT INTO ${jobs} (${sql.identifier(jobs.mediaId.name)})
      SELECT ${media.id} FROM ${media} WHERE ${media.id} = ${mediaId} AND ${media.status} = 'queued'
        AND NOT EXISTS (SELECT 1 FROM ${jobs} WHERE ${jobs.mediaId} = ${mediaId})`),
  ])
  if (queued.length > 0) {
    for (const listener of queuedListeners) listener()
    return 'queued'
  }
  const [row] = await db.select({ status: media.status }).from(media).where(eq(media.id, mediaId))
  return row?.status === 'failed' ? 'worker_stopping' : 'not_failed'
}

// An admin takes a job out of the queue: its media fails (`cancelled`, retry puts it back).
// A running job keeps its lease fields: its worker's next heartbeat or write finds the job
// no longer running, aborts and kills its ffmpeg, and a retry waits for that lease to end.
// False when the job was no longer queued or running (finished meanwhile).
export async function cancelJob(db: Db, jobId: number): Promise<boolean> {
  const isActive = and(eq(jobs.id, jobId), inArray(jobs.status, ['queued', 'running']))
  const ofActiveJob = sql`${media.id} = (SELECT ${jobs.mediaId} FROM ${jobs} WHERE ${isActive})`
  // The media first: its condition reads the job row before this batch changes it.
  const [cancelled] = await db.batch([
    db
      .update(media)
      .set({ ...failedPatch({ code: 'cancelled' }), isPlayable: false, updatedAt: nowIso })
      .where(and(ofActiveJob, inArray(media.status, ['queued', 'processing'])))
      .returning({ id: media.id }),
    db
      .update(jobs)
      .set({ status: 'failed', updatedAt: nowIso })
      .where(and(isActive, sql`EXISTS (SELECT 1 FROM ${media} WHERE ${media.id} = ${jobs.mediaId} AND ${media.status} = 'failed')`)),
  ])
  return cancelled.length > 0
}
