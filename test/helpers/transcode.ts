// Media fixtures for transcoding tests: sources made with ffmpeg's lavfi generators, and a
// media row with its job set up the way a finished upload leaves them
// (`<MediaDataPath>/<id>/source.<ext>` + enqueueTranscode).
import { readdirSync, readFileSync } from 'node:fs'
import { copyFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import { openDatabase } from '../../src/db/client'
import { jobs, media, titles, users } from '../../src/db/schema'
import { enqueueTranscode } from '../../src/transcoding/jobs'
import type { TestServer } from './server'

export type SourceOptions = {
  width: number
  height: number
  durationSec: number
  fps?: number
  // One sine tone per entry, tagged with this language ('' leaves it untagged).
  audio?: string[]
  // Channels of every audio stream: 2 makes stereo, 6 makes 5.1 (the tone in each); mono by default.
  audioChannels?: 2 | 6
  // SRT text per language, muxed as subtitle streams.
  subtitles?: Record<string, string>
  // Extra filter on the video (e.g. noise, to make it expensive to encode).
  videoFilter?: string
  videoBitrate?: string
  preset?: string
  // 4:2:2 by default: the worker never copies such a video as its top rung (copy.ts), so the
  // tests see the encoded ladder they check. 'yuv420p' makes a source the top rung can be.
  pixelFormat?: 'yuv422p' | 'yuv420p' | 'yuv420p10le'
  // A keyframe every this many seconds (x264's default: every 250 frames, and at scene cuts).
  keyframeSec?: number
  // The first timestamp of every stream (0 by default), as a recording cut from a longer one has.
  startSec?: number
  // A keyframe every this many frames (x264's default: 250).
  keyframeInterval?: number
}

async function run(command: string[]): Promise<void> {
  const child = Bun.spawn(command, { stdout: 'ignore', stderr: 'pipe' })
  const [stderr, code] = await Promise.all([new Response(child.stderr).text(), child.exited])
  if (code !== 0) throw new Error(`${command.slice(0, 3).join(' ')}… failed (${code}):\n${stderr.slice(-2000)}`)
}

// testsrc2 + sine tones, H.264/AAC, in the container the extension names.
export async function makeSource(path: string, options: SourceOptions): Promise<string> {
  const fps = options.fps ?? 30
  const audio = options.audio ?? ['eng']
  const subtitles = Object.entries(options.subtitles ?? {})
  const srtFiles = await Promise.all(
    subtitles.map(async ([lang, text]) => {
      const file = `${path}.${lang}.srt`
      await Bun.write(file, text)
      return file
    }),
  )
  const filter = options.videoFilter ? `,${options.videoFilter}` : ''
  const layouts = { 2: 'stereo', 6: '5.1' }
  const channels = options.audioChannels ?? 1
  const upmix =
    channels > 1 ? `,pan=${layouts[channels as 2 | 6]}|${Array.from({ length: channels }, (_, c) => `c${c}=c0`).join('|')}` : ''
  const inputs = [
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${options.width}x${options.height}:rate=${fps}:duration=${options.durationSec}${filter}`,
    ...audio.flatMap((_, i) => ['-f', 'lavfi', '-i', `sine=frequency=${330 + 110 * i}:duration=${options.durationSec}${upmix}`]),
    ...srtFiles.flatMap(file => ['-i', file]),
  ]
  const maps = [...inputs.keys()].filter(i => inputs[i] === '-i').flatMap((_, n) => ['-map', String(n)])
  const tags = [
    ...audio.flatMap((lang, i) => (lang ? [`-metadata:s:a:${i}`, `language=${lang}`] : [])),
    ...subtitles.flatMap(([lang], i) => [`-metadata:s:s:${i}`, `language=${lang}`]),
  ]
  const bitrate = options.videoBitrate ? ['-b:v', options.videoBitrate] : []
  const keyframes = options.keyframeSec
    ? ['-g', String(Math.round(options.keyframeSec * fps)), '-sc_threshold', '0']
    : options.keyframeInterval
      ? ['-g', String(options.keyframeInterval)]
      : []
  const start = options.startSec ? ['-output_ts_offset', String(options.startSec)] : []
  await run([
    'ffmpeg',
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    ...inputs,
    ...maps,
    '-c:v',
    'libx264',
    '-preset',
    options.preset ?? 'ultrafast',
    ...bitrate,
    ...keyframes,
    '-pix_fmt',
    options.pixelFormat ?? 'yuv422p',
    '-c:a',
    'aac',
    '-b:a',
    '96k',
    ...(subtitles.length ? ['-c:s', path.endsWith('.mp4') ? 'mov_text' : 'srt'] : []),
    ...tags,
    ...start,
    path,
  ])
  return path
}

// Leases short enough (3 s, renewed every 0.5 s) that the job of a worker killed or stalled
// is taken over within seconds; the fast preset the tests use.
export const shortLeaseEnv = {
  MOVIEPOINT_X264_PRESET: 'superfast',
  MOVIEPOINT_JOB_LEASE_MS: '3000',
  MOVIEPOINT_JOB_HEARTBEAT_MS: '500',
  MOVIEPOINT_JOB_POLL_MS: '200',
}

export function openServerDb(server: TestServer) {
  return openDatabase({ url: `file:${join(server.mediaDir, 'moviepoint.db')}`, isEmbedded: true })
}

export type TestDb = ReturnType<typeof openServerDb>['db']

let titleCounter = 0

// A movie title owned by `ownerId` (the catalogue API is not needed for transcoding tests).
export async function createMovie(db: TestDb, ownerId: number): Promise<number> {
  titleCounter += 1
  const name = `Film ${titleCounter}`
  const [row] = await db.insert(titles).values({ kind: 'movie', name, nameKey: name.toLowerCase(), ownerId }).returning()
  return row.id
}

// What a finished upload leaves: the file as `<id>/source.<ext>`, the row queued, the job waiting.
export async function enqueueSourceFile(
  server: TestServer,
  db: TestDb,
  options: { titleId?: number; episodeId?: number; ownerId: number; sourcePath: string },
): Promise<number> {
  const owner = options.episodeId === undefined ? { titleId: options.titleId } : { episodeId: options.episodeId }
  const [row] = await db
    .insert(media)
    .values({ ...owner, ownerId: options.ownerId, status: 'uploading', originalFilename: 'film' })
    .returning()
  const ext = options.sourcePath.split('.').pop()
  const folder = join(server.mediaDir, String(row.id))
  await mkdir(folder, { recursive: true })
  await copyFile(options.sourcePath, join(folder, `source.${ext}`))
  await enqueueTranscode(db, row.id, Bun.file(options.sourcePath).size)
  return row.id
}

export async function mediaRow(db: TestDb, mediaId: number) {
  const [row] = await db.select().from(media).where(eq(media.id, mediaId))
  return row
}

export async function jobRows(db: TestDb, mediaId: number) {
  return db.select().from(jobs).where(eq(jobs.mediaId, mediaId))
}

export async function firstUserId(db: TestDb): Promise<number> {
  const [row] = await db.select({ id: users.id }).from(users).limit(1)
  return row.id
}

// Polls until `isDone(row)`; fails with the row's last state after `timeoutMs`.
export async function waitForMedia(
  db: TestDb,
  mediaId: number,
  isDone: (row: Awaited<ReturnType<typeof mediaRow>>) => boolean,
  timeoutMs = 90_000,
) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const row = await mediaRow(db, mediaId)
    if (isDone(row)) return row
    if (Date.now() > deadline) throw new Error(`media ${mediaId} still ${JSON.stringify(row)?.slice(0, 500)}`)
    await Bun.sleep(100)
  }
}

export const isFinished = (row: { status: string } | undefined) => row?.status === 'ready' || row?.status === 'failed'

// What the tests read of ffprobe's JSON: a stream has only the entries asked for with -show_entries.
export type FfprobeStream = Partial<{
  codec_type: string
  codec_name: string
  profile: string
  level: number
  width: number
  height: number
  sample_aspect_ratio: string
  channels: number
  tags: { language?: string }
}>
export type FfprobeJson = { streams: FfprobeStream[]; frames: { pts_time: string }[]; format: { duration: string } }

export async function ffprobeJson(path: string, args: string[]): Promise<FfprobeJson> {
  const child = Bun.spawn(['ffprobe', '-v', 'error', '-of', 'json', ...args, path], { stdout: 'pipe', stderr: 'pipe' })
  const [stdout, code] = await Promise.all([new Response(child.stdout).text(), child.exited])
  if (code !== 0) throw new Error(`ffprobe ${path} failed`)
  return JSON.parse(stdout)
}

// Presentation times of the keyframes of one TS segment.
export async function keyframeTimes(path: string): Promise<number[]> {
  const json = await ffprobeJson(path, ['-select_streams', 'v', '-skip_frame', 'nokey', '-show_entries', 'frame=pts_time'])
  return json.frames.map(frame => Number(frame.pts_time))
}

// ffmpeg processes whose command line mentions `path` (a media folder), from /proc.
export function ffmpegProcessesFor(path: string): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0')
      const isZombie = /\) Z /.test(readFileSync(`/proc/${entry}/stat`, 'utf8'))
      if (!isZombie && args[0]?.endsWith('ffmpeg') && args.some(arg => arg.includes(path))) pids.push(Number(entry))
    } catch {}
  }
  return pids
}

// The worker process holding a job: its lease owner is `<host>:<pid>:<random>`.
export function pidOfLeaseOwner(owner: string | null): number | null {
  const pid = Number(owner?.split(':')[1])
  return Number.isSafeInteger(pid) && pid > 0 ? pid : null
}

// The worker logs one line per job when it is completely done with it (old media retired,
// source removed…): waiting for it leaves no work in flight.
export async function waitForJobLine(server: TestServer, mediaId: number, timeoutMs = 30_000): Promise<string> {
  const pattern = new RegExp(`^job \\d+ media ${mediaId} attempt \\d+: .*$`, 'm')
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const line = pattern.exec(server.output())?.[0]
    if (line) return line
    if (Date.now() > deadline) throw new Error(`no job line for media ${mediaId} in:\n${server.output()}`)
    await Bun.sleep(50)
  }
}
