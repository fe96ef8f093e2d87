// transcoding/: what the worker runs: jobs, pool, probe, ladder, plan, ffmpeg, outputs, poster; one attempt here.
// One transcoding attempt of one media: probe, plan, run one ffmpeg that decodes the source
// once and writes every rung and audio rendition, publish segments as they complete (so the
// film can be watched while it is transcoded), then measure, write the final playlists and
// master, and mark the media ready.
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import type { Config } from '../config'
import type { Db } from '../db/client'
import { media } from '../db/schema'
import { mediaFolder, removeMediaFolders, renditionNames, thumbnailsFolderName } from '../hls/layout'
import { type ChildLimits, limitsForVideo, rejectionForLimit } from './bounded-child'
import type { FailureReason } from './failure'
import {
  type ClaimedJob,
  completeJob,
  type Fence,
  type LeaseState,
  leaseStateOf,
  saveProgress,
  saveStderrTail,
  startPublication,
  updateMediaOfJob,
} from './jobs'
import { MediaRejected, type SourceProbe } from './probe'
import { publishMaster, writeMasterAhead } from '../hls/publish'
import type { EncoderSettings, TranscodePlan } from './args'
import { readVideoCodec } from './codecs'
import { nativeEngine, type TranscodeEngine } from './engine'
import { cleanMediaFolder, makeWorkFolder, removeWorkFolder, watchPlaylists, workFolderName } from './folder'
import { durationOf, newRenditionOutput, publishNewSegments, type RenditionOutput, segmentFileOf, writeServedPlaylist } from './outputs'
import { audioTracksOf, cappedRendition, measuredRendition, sourceInfoOf } from './plan'
import { makePoster } from './poster'
import { type PreviousSegments, setAsidePrevious } from './previous'
import { progressFraction } from './progress'
import type { FfmpegRun } from './run'
import { publishSourceSubtitles } from './subtitles'
import { publishThumbnails, type ThumbnailPlan } from './thumbnails'

export { planTranscode } from './plan'

export type TranscodeContext = {
  db: Db
  config: Pick<Config, 'mediaDataPath' | 'ffmpegPath' | 'ffprobePath' | 'keepSource' | 'transcodeLimits'>
  job: ClaimedJob
  // Aborted with the reason the job must stop: 'lost', 'media_deleted', 'cancelled' or 'shutdown'.
  signal: AbortSignal
  // Awaited before every step that publishes a file: throws (the reason, as `signal`'s) once
  // the lease may have run out, so a worker resumed after a stall publishes nothing more.
  fence: Fence
  encoder: EncoderSettings
  // Native ffmpeg unless the worker chose otherwise (engine.ts: chooseEngine).
  engine?: TranscodeEngine
}

// The context of one run: `signal` also aborts when a write finds the job is no longer ours.
type RunContext = TranscodeContext & { engine: TranscodeEngine; stop: (reason: LeaseState) => void }

export type TranscodeOutcome =
  | { kind: 'ready'; durationSec: number; rungs: number }
  // The file is not something we can turn into video: failing again would not help.
  // (So is a run stopped by its memory or time limit.) `error` is the English reason.
  | { kind: 'rejected'; reason: FailureReason; error: string; stderrTail?: string }
  // Something went wrong that another attempt may not hit (killed ffmpeg, full disk…).
  | { kind: 'failed'; error: string; stderrTail?: string }
  | { kind: 'aborted'; reason: string }

// Segments are published when ffmpeg rewrites a playlist (watchPlaylists); this poll is
// the fallback where change events do not arrive.
const publishIntervalMs = 500
const progressWriteIntervalMs = 1000
const stderrSaveIntervalMs = 10_000

class TranscodeFailure extends Error {
  constructor(
    message: string,
    readonly stderrTail?: string,
  ) {
    super(message)
  }
}

// A worker's every media write goes through jobs.ts, lease checked. One that changed
// nothing asks why: a worker that lost its job (stalled past its lease, the job taken over)
// or whose media was deleted stops the run at once, without writing anything more.
async function isStillHeld(ctx: RunContext, isWritten: boolean): Promise<boolean> {
  if (isWritten) return true
  const state = await leaseStateOf(ctx.db, ctx.job)
  if (state !== 'held') ctx.stop(state)
  return state === 'held'
}

async function requireHeld(ctx: RunContext, isWritten: boolean): Promise<void> {
  if (!(await isStillHeld(ctx, isWritten))) throw ctx.signal.reason
}

async function readCodecs(folder: string, outputs: RenditionOutput[]): Promise<string[]> {
  return Promise.all(
    outputs.map(async output => {
      const codec = await readVideoCodec(join(folder, output.name, segmentFileOf(output.segments[0].uri)))
      if (!codec) throw new TranscodeFailure(`no H.264 parameter set in ${output.name}`)
      return codec
    }),
  )
}

type Attempt = {
  ctx: RunContext
  folder: string
  workDir: string
  // The segments the previous attempt listed, set aside until this one publishes its own.
  previous: PreviousSegments
  // Which publication of the media this attempt is (1 for the first): its files' URI tag.
  publication: number
  plan: TranscodePlan
  probe: SourceProbe
  // The command of the main ffmpeg run.
  args: string[]
  // What each ffmpeg of the attempt may use (TranscodeMemoryLimit, TranscodeTime*).
  limits: ChildLimits
  video: RenditionOutput[]
  audio: RenditionOutput[]
  codecs: string[] | null
  // The seek-bar previews made by the same ffmpeg run; null without a picture.
  thumbnails: ThumbnailPlan | null
  poster: Promise<void> | null
  children: FfmpegRun[]
  // Aborted when the attempt is stopped: no new ffmpeg may start after that.
  stopped: AbortController
}

// Every rung and audio rendition has its first segment: the film can be watched. The
// master file is there before the row says so.
async function publishFirstMaster(attempt: Attempt) {
  const { ctx, plan, folder } = attempt
  const { db, job, config } = ctx
  const codecs = await readCodecs(folder, attempt.video)
  attempt.codecs = codecs
  const renditions = plan.rungs.map((rung, i) => cappedRendition(rung, plan, codecs[i]))
  await requireHeld(ctx, await updateMediaOfJob(db, job, { renditions, audio: audioTracksOf(plan) }))
  await ctx.fence()
  await writeMasterAhead(db, config.mediaDataPath, job.mediaId)
  await requireHeld(ctx, await updateMediaOfJob(db, job, { isPlayable: true }))
  await ctx.fence()
  await publishMaster(db, config.mediaDataPath, job.mediaId)
}

async function publishProgress(attempt: Attempt): Promise<void> {
  const outputs = [...attempt.video, ...attempt.audio]
  const { folder, workDir, previous, publication } = attempt
  const publish = { folder, workDir, previous, publication, fence: attempt.ctx.fence }
  for (const output of outputs) await publishNewSegments({ ...publish, output })
  const isWatchable = outputs.every(output => output.segments.length > 0)
  if (isWatchable && !attempt.codecs) {
    await publishFirstMaster(attempt)
    startPoster(attempt)
  }
}

function startPoster(attempt: Attempt) {
  const { ctx, plan, probe, workDir, folder } = attempt
  attempt.poster ??= makePoster({
    ffmpegPath: ctx.config.ffmpegPath,
    start: ctx.engine.startFfmpeg,
    limits: attempt.limits,
    plan,
    durationSec: probe.mediaDurationSec,
    workDir,
    folder,
    signal: attempt.stopped.signal,
    onRun: run => attempt.children.push(run),
    fence: ctx.fence,
  })
    .then(() => {})
    .catch(error => console.warn(`media ${ctx.job.mediaId}: no poster: ${(error as Error).message}`))
}

// The percent on the job row, from two sources: ffmpeg's own progress reports, and the
// length of video already published. ffmpeg holds back its reports until every output has
// begun, and the seek-bar preview sheets begin only once a sheet is full (for a short film,
// at the end), so the published length is what moves the percent for most videos.
function progressReporter(ctx: RunContext, durationSec: number) {
  let lastWriteMs = 0
  // The attempt starts the row at 0 (startAttempt).
  let lastValue = 0
  const report = (fraction: number) => {
    // 1 means ready; until then the last percent is the finishing work. Never backwards.
    const progress = Math.min(0.99, Math.round(fraction * 1000) / 1000)
    const nowMs = Date.now()
    if (progress <= lastValue || nowMs - lastWriteMs < progressWriteIntervalMs) return
    lastWriteMs = nowMs
    lastValue = progress
    saveProgress(ctx.db, ctx.job, progress)
      .then(isSaved => isStillHeld(ctx, isSaved))
      .catch(error => console.warn(`media ${ctx.job.mediaId}: progress not saved: ${(error as Error).message}`))
  }
  return {
    fromFfmpeg: (block: Record<string, string>) => {
      const fraction = progressFraction(block, durationSec)
      if (fraction !== null) report(fraction)
    },
    fromPublished: (publishedSec: number) => durationSec > 0 && report(publishedSec / durationSec),
  }
}

// ffmpeg's last words go to the job row every few seconds, for whoever looks at a stuck job.
function stderrSaver(ctx: TranscodeContext, ffmpeg: FfmpegRun) {
  let lastSaveMs = Date.now()
  return async () => {
    if (Date.now() - lastSaveMs <= stderrSaveIntervalMs) return
    lastSaveMs = Date.now()
    await saveStderrTail(ctx.db, ctx.job, ffmpeg.stderrTail()).catch(() => {})
  }
}

// Runs the encode, publishing as it goes, until ffmpeg exits or the job is taken away.
async function encode(attempt: Attempt): Promise<FfmpegRun> {
  const { ctx, workDir } = attempt
  const progress = progressReporter(ctx, attempt.probe.mediaDurationSec)
  const outputs = [...attempt.video, ...attempt.audio]
  const ffmpeg = ctx.engine.startFfmpeg({
    args: attempt.args,
    folder: attempt.folder,
    limits: attempt.limits,
    onProgress: progress.fromFfmpeg,
  })
  attempt.children.push(ffmpeg)
  let exitCode: number | null | undefined
  ffmpeg.exited.then(code => {
    exitCode = code
  })
  const playlists = watchPlaylists(workDir)
  const aborted = abortedOf(ctx.signal)
  const saveStderrNowAndThen = stderrSaver(ctx, ffmpeg)
  try {
    while (exitCode === undefined) {
      await Promise.race([ffmpeg.exited, playlists.changed(), Bun.sleep(publishIntervalMs), aborted])
      if (ctx.signal.aborted) return ffmpeg
      playlists.take()
      await publishProgress(attempt)
      progress.fromPublished(Math.min(...outputs.map(durationOf)))
      await saveStderrNowAndThen()
    }
  } finally {
    playlists.close()
  }
  const limitHit = ffmpeg.limitHit()
  if (limitHit) throw rejectionForLimit(limitHit, attempt.limits)
  if (exitCode !== 0)
    throw new TranscodeFailure(exitCode === null ? 'ffmpeg was killed' : `ffmpeg exited with code ${exitCode}`, ffmpeg.stderrTail())
  return ffmpeg
}

function abortedOf(signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (signal.aborted) resolve()
    else signal.addEventListener('abort', () => resolve(), { once: true })
  })
}

function formatDuration(seconds: number): string {
  const whole = Math.round(seconds)
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`
}

// ffmpeg ends "successfully" at the point a truncated file stops; its header said more.
// What was transcoded (video, audio) is held against what those streams declare, not the
// container's length: a subtitle track may go on after the film ends.
function checkComplete(attempt: Attempt, ffmpeg: FfmpegRun) {
  const outputs = [...attempt.video, ...attempt.audio]
  if (!outputs.every(output => output.isEnded && output.segments.length > 0))
    throw new TranscodeFailure('ffmpeg finished without completing every rendition', ffmpeg.stderrTail())
  const producedSec = Math.max(...outputs.map(durationOf))
  const declaredSec = attempt.probe.mediaDurationSec
  if (producedSec < declaredSec * 0.9 && declaredSec - producedSec > 5)
    throw new MediaRejected('truncated', { produced: formatDuration(producedSec), declared: formatDuration(declaredSec) })
}

async function finalize(attempt: Attempt, ffmpeg: FfmpegRun): Promise<TranscodeOutcome> {
  const { ctx, folder, plan } = attempt
  await publishProgress(attempt)
  checkComplete(attempt, ffmpeg)
  // Complete means every output has a segment, so publishProgress has read the codecs.
  const { codecs } = attempt
  if (!codecs) throw new TranscodeFailure('the first master was never published')
  for (const output of [...attempt.video, ...attempt.audio])
    await writeServedPlaylist({ folder, workDir: attempt.workDir, fence: ctx.fence }, output, true)
  startPoster(attempt)
  const { workDir } = attempt
  const subtitles = { db: ctx.db, job: ctx.job, fence: ctx.fence, folder, workDir, plan, durationSec: durationOf(attempt.video[0]) }
  await requireHeld(ctx, await publishSourceSubtitles(subtitles))
  if (attempt.thumbnails) {
    const { publication } = attempt
    const previews = {
      folder,
      workDir,
      plan: attempt.thumbnails,
      durationSec: durationOf(attempt.video[0]),
      publication,
      fence: ctx.fence,
    }
    if ((await publishThumbnails(previews)) === 0) throw new TranscodeFailure('ffmpeg wrote no seek-bar previews', ffmpeg.stderrTail())
  }
  await attempt.poster
  const renditions = plan.rungs.map((rung, i) =>
    measuredRendition(cappedRendition(rung, plan, codecs[i]), attempt.video[i], attempt.audio),
  )
  const durationSec = Math.round(durationOf(attempt.video[0]) * 1000) / 1000
  // The measured master goes out while the media is still `processing`: once it says
  // `ready`, every file is final.
  const measured = { durationSec, renditions, audio: audioTracksOf(plan), isPlayable: true }
  await requireHeld(ctx, await updateMediaOfJob(ctx.db, ctx.job, measured))
  await ctx.fence()
  await publishMaster(ctx.db, ctx.config.mediaDataPath, ctx.job.mediaId)
  // `.work/previous/` too: after a takeover, it would be the new owner's.
  await ctx.fence()
  await removeWorkFolder(folder, attempt.workDir)
  const completed = await completeJob(ctx.db, ctx.job, { status: 'ready', progress: 1, error: null })
  await requireHeld(ctx, completed.isCompleted)
  await removeMediaFolders(ctx.config.mediaDataPath, completed.retiredMediaIds)
  // Only now: had the job been lost before, the next attempt would have needed it.
  if (!ctx.config.keepSource) await rm(plan.sourcePath, { force: true })
  return { kind: 'ready', durationSec, rungs: plan.rungs.length }
}

// The row made ready for this attempt's results; answers the number of its publication.
async function startAttempt(ctx: RunContext, probe: SourceProbe): Promise<number> {
  const publication = await startPublication(ctx.db, ctx.job, {
    status: 'processing',
    progress: 0,
    error: null,
    durationSec: Math.round(probe.mediaDurationSec * 1000) / 1000,
    source: sourceInfoOf(probe),
    renditions: [],
    audio: [],
    isPlayable: false,
  })
  await requireHeld(ctx, publication !== null)
  return publication ?? 0
}

// Whoever reads the worker's log learns whether the top rung is the source's own video,
// and if not, why not.
function logTopRung(ctx: RunContext, plan: TranscodePlan) {
  const { topRung } = plan
  const copiedAudio = plan.audio.filter(track => track.copy).map(track => track.key)
  const audio = copiedAudio.length > 0 ? `; audio ${copiedAudio.join(', ')} copied` : ''
  const video = topRung.kind === 'copy' ? 'copied from the source' : `encoded: ${topRung.reason}`
  console.log(`media ${ctx.job.mediaId}: top rung ${video}${audio}`)
}

async function prepareAttempt(ctx: RunContext): Promise<Attempt> {
  const folder = mediaFolder(ctx.config.mediaDataPath, ctx.job.mediaId)
  const [row] = await ctx.db.select({ subtitles: media.subtitles }).from(media).where(eq(media.id, ctx.job.mediaId))
  if (!row) throw new MediaGone()
  // An earlier attempt may have published a master: not playable until this one's first
  // segments exist, and the row says so before its files go.
  await requireHeld(ctx, await updateMediaOfJob(ctx.db, ctx.job, { isPlayable: false, status: 'processing' }))
  await ctx.fence()
  await publishMaster(ctx.db, ctx.config.mediaDataPath, ctx.job.mediaId)
  // Its segments wait aside (previous.ts): those this attempt reproduces go out again as they were.
  await ctx.fence()
  const previous = await setAsidePrevious(folder, join(folder, workFolderName))
  await ctx.fence()
  const sourcePath = await cleanMediaFolder(
    folder,
    row.subtitles.map(track => track.lang),
    [workFolderName],
  )
  const source = { sourcePath, folder, limits: ctx.config.transcodeLimits, encoder: ctx.encoder }
  const { probe, plan, thumbnails, buildArgs } = await ctx.engine.prepare(source)
  logTopRung(ctx, plan)
  const publication = await startAttempt(ctx, probe)
  const names = [...plan.rungs.map((_, i) => renditionNames.video(i)), ...plan.audio.map(a => renditionNames.audio(a.key))]
  const workDir = await makeWorkFolder(folder, ctx.job.attempts, thumbnails ? [...names, thumbnailsFolderName] : names)
  return {
    ctx,
    folder,
    workDir,
    previous,
    publication,
    plan,
    probe,
    args: buildArgs(workDir),
    limits: limitsForVideo(ctx.config.transcodeLimits, Math.max(probe.durationSec, probe.videoSpanSec)),
    video: plan.rungs.map((_, i) => newRenditionOutput(renditionNames.video(i), plan.targetDurationSec)),
    audio: plan.audio.map(a => newRenditionOutput(renditionNames.audio(a.key), plan.targetDurationSec)),
    codecs: null,
    thumbnails,
    poster: null,
    children: [],
    stopped: new AbortController(),
  }
}

class MediaGone extends Error {}

// A failure may just be the API deleting the media under our feet (files vanish before
// the heartbeat tells): then it is no failure, and the folder must go.
async function isMediaGone(ctx: TranscodeContext, error: unknown): Promise<boolean> {
  if (error instanceof MediaGone) return true
  const rows = ctx.db.select({ id: media.id }).from(media).where(eq(media.id, ctx.job.mediaId))
  const [row] = await rows.catch(() => [{ id: 0 }])
  return !row
}

async function stopAttempt(attempt: Attempt | null) {
  if (!attempt) return
  attempt.stopped.abort()
  for (const child of attempt.children) child.kill()
  await Promise.all(attempt.children.map(child => child.exited))
}

// A failed attempt may have published its first segments and a master already: nothing
// of it stays served. The upload and the subtitles people added are kept.
async function withdrawOutputs(ctx: RunContext) {
  const { db, job } = ctx
  if (!(await isStillHeld(ctx, await updateMediaOfJob(db, job, { isPlayable: false, renditions: [], audio: [] })))) return
  // Not if the folder may be another worker's by now (this one stalled since).
  try {
    await ctx.fence()
  } catch {
    return
  }
  await clearOutputs(ctx)
}

// The master goes (the row says not playable by now), then every file but the upload and
// the subtitles people added.
async function clearOutputs(ctx: RunContext) {
  const { db, job, config } = ctx
  await publishMaster(db, config.mediaDataPath, job.mediaId)
  const [row] = await db.select({ subtitles: media.subtitles }).from(media).where(eq(media.id, job.mediaId))
  const folder = mediaFolder(config.mediaDataPath, job.mediaId)
  await cleanMediaFolder(
    folder,
    (row?.subtitles ?? []).map(track => track.lang),
  ).catch(() => {})
}

// What is left on disk after an attempt that did not finish.
async function cleanUpAfter(ctx: RunContext, reason: string, attempt: Attempt | null) {
  const folder = mediaFolder(ctx.config.mediaDataPath, ctx.job.mediaId)
  // Deleted: the API removed the folder already; ffmpeg may have written into it since.
  if (reason === 'media_deleted') await rm(folder, { recursive: true, force: true })
  // Taken over: the folder is the new owner's now.
  else if (reason === 'lost') return
  // Cancelled by an admin: the folder stays this worker's until its lease runs out (a retry
  // waits for that), and nothing of the run is kept.
  else if (reason === 'cancelled') await clearOutputs(ctx)
  // Failed, or stopped for a restart: not watchable until an attempt finishes.
  else if (attempt) await withdrawOutputs(ctx)
}

export async function transcodeMedia(context: TranscodeContext): Promise<TranscodeOutcome> {
  const stopped = new AbortController()
  const ctx: RunContext = {
    ...context,
    engine: context.engine ?? nativeEngine(context.config),
    signal: AbortSignal.any([context.signal, stopped.signal]),
    stop: reason => stopped.abort(reason),
  }
  let attempt: Attempt | null = null
  try {
    attempt = await prepareAttempt(ctx)
    const ffmpeg = await encode(attempt)
    if (ctx.signal.aborted) throw ctx.signal.reason
    return await finalize(attempt, ffmpeg)
  } catch (error) {
    await stopAttempt(attempt)
    const reason = ctx.signal.aborted ? String(ctx.signal.reason) : (await isMediaGone(ctx, error)) ? 'media_deleted' : null
    if (reason) {
      await cleanUpAfter(ctx, reason, attempt)
      return { kind: 'aborted', reason }
    }
    await cleanUpAfter(ctx, 'failed', attempt).catch(cleanupError =>
      console.warn(`media ${ctx.job.mediaId}: cleanup failed: ${(cleanupError as Error).message}`),
    )
    // The main ffmpeg's last words, if it ran: the job row keeps them for whoever looks.
    // A file refused while probing has ffprobe's words instead.
    const probeStderr = error instanceof MediaRejected ? error.stderrTail : undefined
    const stderrTail = error instanceof TranscodeFailure ? error.stderrTail : (probeStderr ?? attempt?.children[0]?.stderrTail())
    if (error instanceof MediaRejected) return { kind: 'rejected', reason: error.reason, error: error.message, stderrTail }
    return { kind: 'failed', error: (error as Error).message, stderrTail }
  }
}
