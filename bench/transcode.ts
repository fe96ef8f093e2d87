// bun bench/transcode.ts — transcoding speed and memory, against two baselines.
//
// Sources: BENCH_DURATION_SEC (60) seconds of 1080p30 with two AAC tracks (eng, rus), once
// easy (testsrc2) and once film-like (testsrc2 + temporal noise, ~20 Mbit/s), both encoded
// the way films people upload are (x264's default preset: CABAC, B-frames, deblocking),
// which makes decoding cost what it costs in real life (BENCH_SOURCE_PRESET to change it;
// `ultrafast` sources decode ~3× cheaper, which hides what decoding once saves);
// BENCH_SOURCES (easy,film) picks them.
// For each source, BENCH_ROUNDS (5) rounds, each running the three one after another
// (MoviePoint in the middle, next to both baselines):
//   - MoviePoint: a real server with one worker (production preset, MOVIEPOINT_X264_PRESET
//     or veryfast); the file is sent with the raw PUT, then wall time from the upload's
//     202 (upload done) to `ready`, and to the first playable master;
//   - (a) one hand-written ffmpeg command that decodes once and writes the same ladder and
//     audio renditions (goal: MoviePoint ≤ 1.05 × this);
//   - (b) one ffmpeg run per rung plus one for the audio, one after another, the way
//     PeerTube and MediaCMS do it (goal: MoviePoint ≤ 0.77 × this);
//   - peak resident memory (VmHWM) of the worker process and of its ffmpeg.
// Goal for the time to a playable master: ≤ 8 s. The machine's speed drifts by ±10% over
// minutes, so each round's ratios compare runs made back to back, and the medians of the
// rounds are reported. Takes ~6 minutes per round on 2 cores at 60 s.
//
// A third source, `phone` (issue 13), fits the top rung: 1080p30 H.264 (x264 medium, a
// keyframe every 3 s) with AAC stereo in MP4, so MoviePoint copies stream_0 and the audio.
// Its rounds put MoviePoint between
//   - (c) one hand-written ffmpeg command that encodes every rung and the audio, as (a)
//     (goal: MoviePoint ≤ 0.65 × this);
//   - (d) one hand-written ffmpeg command that copies the top rung and the audio and
//     encodes the rest with keyframes where the source has them (`-force_key_frames
//     source`) (goal: MoviePoint ≤ 1.05 × this);
// and the time from the upload's 202 to a playable master (goal ≤ 3 s).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import { jobs, media } from '../src/db/schema'
import { encoderSettingsFromEnv } from '../src/transcoding/encoder'
import { signUp } from '../test/helpers/client'
import { send } from '../test/helpers/media'
import { startServer } from '../test/helpers/server'
import { createMovie, makeSource, openServerDb } from '../test/helpers/transcode'
import { loadAverage, median } from './stats'

const durationSec = Number(process.env.BENCH_DURATION_SEC ?? 60)
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5))
const sources = (process.env.BENCH_SOURCES ?? 'easy,film,phone').split(',')
const encoder = encoderSettingsFromEnv()
const work = mkdtempSync(join(tmpdir(), 'moviepoint-bench-'))

type Rung = { width: number; height: number; maxrateKbps: number; profile: 'high' | 'main' }
// The ladder of a 1080p source (shared/hls-layout.md), written out by hand.
const ladder: Rung[] = [
  { width: 1920, height: 1080, maxrateKbps: 6000, profile: 'high' },
  { width: 1280, height: 720, maxrateKbps: 3000, profile: 'high' },
  { width: 854, height: 480, maxrateKbps: 1500, profile: 'main' },
  { width: 640, height: 360, maxrateKbps: 800, profile: 'main' },
]

// Written by hand on purpose, not taken from src/transcoding/args.ts: the baseline is what a
// person would type (a fixed 6 s GOP by expression), so it cannot inherit a mistake of ours.
function x264(rung: Rung): string[] {
  const flags = {
    'c:v': 'libx264',
    preset: encoder.preset,
    'profile:v': rung.profile,
    crf: encoder.crf,
    maxrate: `${rung.maxrateKbps}k`,
    bufsize: `${rung.maxrateKbps * 2}k`,
    g: 180,
    sc_threshold: 0,
    force_key_frames: 'expr:gte(t,n_forced*6)',
  }
  return Object.entries(flags).flatMap(([flag, value]) => [`-${flag}`, String(value)])
}

function hls(dir: string, name: string): string[] {
  mkdirSync(join(dir, name), { recursive: true })
  return [
    '-f',
    'hls',
    '-hls_time',
    '6',
    '-hls_list_size',
    '0',
    '-hls_segment_filename',
    join(dir, name, 'data%04d.ts'),
    join(dir, `${name}.m3u8`),
  ]
}

// ffmpeg, quiet, overwriting, reading `source`.
const ffmpegReading = (source: string) => ['ffmpeg', '-hide_banner', '-loglevel', 'error', '-y', '-i', source]

const aac = ['-c:a', 'aac', '-b:a', '128k', '-ac', '2', '-ar', '48000']

// Wall time, and CPU time (user + system): the CPU time does not depend on what else the
// machine is busy with, so it compares the work done even on a shared machine.
type Cost = { wallSec: number; cpuSec: number }
const plus = (a: Cost, b: Cost): Cost => ({ wallSec: a.wallSec + b.wallSec, cpuSec: a.cpuSec + b.cpuSec })

async function timed(command: string[]): Promise<Cost> {
  const started = performance.now()
  const child = Bun.spawn(command, { stdout: 'ignore', stderr: 'pipe' })
  const [stderr, code] = await Promise.all([new Response(child.stderr).text(), child.exited])
  if (code !== 0) throw new Error(`${command.join(' ')}\n${stderr.slice(-2000)}`)
  const cpu = child.resourceUsage()?.cpuTime
  return { wallSec: (performance.now() - started) / 1000, cpuSec: cpu ? Number(cpu.total) / 1e6 : 0 }
}

// (a) Decode once, split, scale, four encoders and an audio encoder per track in one process.
async function singleRun(source: string, audioTracks = 2): Promise<Cost> {
  const dir = join(work, 'single')
  rmSync(dir, { recursive: true, force: true })
  const graph = `[0:v]fps=30,split=4[a][b][c][d];${['a', 'b', 'c', 'd'].map((s, i) => `[${s}]scale=${ladder[i].width}:${ladder[i].height}[v${i}]`).join(';')}`
  const tracks = Array.from({ length: audioTracks }, (_, n) => n)
  return timed([
    ...ffmpegReading(source),
    '-filter_complex',
    graph,
    ...ladder.flatMap((rung, i) => ['-map', `[v${i}]`, ...x264(rung), '-an', ...hls(dir, `stream_${i}`)]),
    ...tracks.flatMap(n => ['-map', `0:a:${n}`, ...aac, '-vn', ...hls(dir, `audio_${n + 1}`)]),
  ])
}

// (d) The top rung and the audio copied, the three rungs below encoded from one decode with
// their keyframes where the source has its own (the HLS muxer cuts at the first keyframe
// after each 6 s).
async function copyTopRun(source: string): Promise<Cost> {
  const dir = join(work, 'copy-top')
  rmSync(dir, { recursive: true, force: true })
  const lower = ladder.slice(1)
  const graph = `[0:v]split=3[b][c][d];${['b', 'c', 'd'].map((s, i) => `[${s}]scale=${lower[i].width}:${lower[i].height}[v${i + 1}]`).join(';')}`
  const keyframesAtSource = (rung: Rung) => [...x264(rung).slice(0, -2), '-force_key_frames', 'source']
  return timed([
    ...ffmpegReading(source),
    '-filter_complex',
    graph,
    ...['-map', '0:v', '-c:v', 'copy', '-an', ...hls(dir, 'stream_0')],
    ...lower.flatMap((rung, i) => ['-map', `[v${i + 1}]`, ...keyframesAtSource(rung), '-an', ...hls(dir, `stream_${i + 1}`)]),
    ...['-map', '0:a:0', '-c:a', 'copy', '-vn', ...hls(dir, 'audio_1')],
  ])
}

// (b) PeerTube/MediaCMS style: every rung decodes the whole source again.
async function runPerRung(source: string): Promise<Cost> {
  const dir = join(work, 'per-rung')
  rmSync(dir, { recursive: true, force: true })
  let total: Cost = { wallSec: 0, cpuSec: 0 }
  for (const [i, rung] of ladder.entries()) {
    const rungCost = await timed([
      ...ffmpegReading(source),
      '-map',
      '0:v',
      '-vf',
      `fps=30,scale=${rung.width}:${rung.height}`,
      ...x264(rung),
      '-an',
      ...hls(dir, `stream_${i}`),
    ])
    total = plus(total, rungCost)
  }
  const audioCost = await timed([
    ...ffmpegReading(source),
    ...[1, 2].flatMap(n => ['-map', `0:a:${n - 1}`, ...aac, '-vn', ...hls(dir, `audio_${n}`)]),
  ])
  return plus(total, audioCost)
}

function peakRssMb(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/)
    return line ? Number(line[1]) / 1024 : 0
  } catch {
    return 0
  }
}

// Fields of /proc/<pid>/stat after the command name (the state is field 0 here).
function statFields(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  } catch {
    return []
  }
}

// CPU time (clock ticks of 1/100 s) of a process and of its children it has waited for:
// taken before and after a job, the worker's figure counts its ffprobe and ffmpeg runs
// exactly, with no sampling.
function cpuWithChildrenSec(pid: number): number {
  const [utime, stime, cutime, cstime] = statFields(pid).slice(11, 15).map(Number)
  return (utime + stime + cutime + cstime) / 100
}

const childrenOf = (parentPid: number): number[] =>
  readdirSync('/proc')
    .filter(entry => /^\d+$/.test(entry))
    .map(Number)
    .filter(pid => Number(statFields(pid)[1]) === parentPid)

async function uploadByPut(user: Awaited<ReturnType<typeof signUp>>, titleId: number, source: string): Promise<number> {
  const answer = await send(user, 'PUT', `/api/v1/titles/${titleId}/video?filename=film.mkv`, { body: Bun.file(source) })
  if (answer.status !== 202) throw new Error(`upload failed: ${answer.status} ${await answer.text()}`)
  return (await answer.json()).media.id
}

// The high-water marks of the worker and of its ffmpeg runs, looked at once a second
// (a mark stays after the peak), so that the looking costs next to nothing.
function memoryPeaks(workerPid: number) {
  const peaks = { worker: 0, ffmpeg: 0 }
  const look = () => {
    peaks.worker = Math.max(peaks.worker, peakRssMb(workerPid))
    for (const pid of childrenOf(workerPid)) peaks.ffmpeg = Math.max(peaks.ffmpeg, peakRssMb(pid))
  }
  const timer = setInterval(look, 1000)
  const stop = () => {
    look()
    clearInterval(timer)
  }
  return { peaks, stop }
}

// Upload done → playable master → ready, with the worker's CPU and memory. Meanwhile the
// bench reads the media row every 0.1 s until the film is playable, then once a second:
// the moment it became ready is the job row's own timestamp, written with the status.
async function moviePoint(source: string) {
  const server = await startServer({ ini: { Workers: 1 } })
  const { client, db } = openServerDb(server)
  try {
    const user = await signUp(server.url)
    const titleId = await createMovie(db, user.userId)
    await Bun.sleep(1500) // let the worker start and settle, as on a running server
    const [workerPid] = childrenOf(server.process.pid)
    if (!workerPid) throw new Error('no worker process')
    const mediaId = await uploadByPut(user, titleId, source)
    const startedMs = Date.now()
    const cpuBeforeSec = cpuWithChildrenSec(workerPid)
    const memory = memoryPeaks(workerPid)
    let playableSec: number | null = null
    try {
      for (;;) {
        const [row] = await db.select().from(media).where(eq(media.id, mediaId))
        if (row.isPlayable && playableSec === null) playableSec = (Date.now() - startedMs) / 1000
        if (row.status === 'failed') throw new Error(`MoviePoint failed: ${row.error}`)
        if (row.status === 'ready') break
        await Bun.sleep(playableSec === null ? 100 : 1000)
      }
    } finally {
      memory.stop()
    }
    const [job] = await db.select().from(jobs).where(eq(jobs.mediaId, mediaId))
    const totalSec = (Date.parse(job.updatedAt) - startedMs) / 1000
    const cpuSec = cpuWithChildrenSec(workerPid) - cpuBeforeSec
    return { totalSec, cpuSec, playableSec: playableSec ?? 0, peaks: memory.peaks }
  } finally {
    client.close()
    await server.stop()
  }
}

const fixed = (value: number, digits = 2) => value.toFixed(digits)

type Round = { ours: Awaited<ReturnType<typeof moviePoint>>; single: Cost; perRung: Cost }

function printRound(round: Round, index: number) {
  const { ours, single, perRung } = round
  console.log(
    `  round ${index + 1}: MoviePoint ${fixed(ours.totalSec, 1)} s (${fixed(ours.cpuSec, 1)} s CPU), playable after ${fixed(ours.playableSec, 1)} s; ` +
      `(a) ${fixed(single.wallSec, 1)} s (${fixed(single.cpuSec, 1)} s CPU); (b) ${fixed(perRung.wallSec, 1)} s (${fixed(perRung.cpuSec, 1)} s CPU); ` +
      `ratios ${fixed(ours.totalSec / single.wallSec)} / ${fixed(ours.totalSec / perRung.wallSec)}; load ${loadAverage()}`,
  )
}

async function benchSource(label: string, source: string) {
  console.log(`\n${label} (${durationSec} s 1080p30, 2 audio tracks; x264 ${encoder.preset} crf ${encoder.crf})`)
  const results: Round[] = []
  // MoviePoint runs between the two baselines, so each ratio compares runs made back to
  // back (the machine's speed drifts over minutes); which baseline comes first alternates
  // from round to round, so neither always gets the same moment.
  for (let i = 0; i < rounds; i++) {
    const round = {} as Round
    const single = async () => (round.single = await singleRun(source))
    const perRung = async () => (round.perRung = await runPerRung(source))
    const [before, after] = i % 2 === 0 ? [single, perRung] : [perRung, single]
    await before()
    round.ours = await moviePoint(source)
    await after()
    printRound(round, i)
    results.push(round)
  }
  const ratio = (pick: (round: Round) => number) => fixed(median(results.map(pick)))
  console.log(`  medians of ${rounds} rounds:`)
  console.log(
    `  ÷ (a) one hand-written ffmpeg, wall ${ratio(r => r.ours.totalSec / r.single.wallSec)}, CPU ${ratio(r => r.ours.cpuSec / r.single.cpuSec)}   goal ≤ 1.05 (wall)`,
  )
  console.log(
    `  ÷ (b) one run per rung + audio, wall ${ratio(r => r.ours.totalSec / r.perRung.wallSec)}, CPU ${ratio(r => r.ours.cpuSec / r.perRung.cpuSec)}   goal ≤ 0.77 (wall)`,
  )
  console.log(`  upload done → playable master ${fixed(median(results.map(r => r.ours.playableSec)), 1)} s   goal ≤ 8 s`)
  const peak = (pick: (round: Round) => number) => Math.max(...results.map(pick)).toFixed(0)
  console.log(`  peak memory (VmHWM): worker ${peak(r => r.ours.peaks.worker)} MB, ffmpeg ${peak(r => r.ours.peaks.ffmpeg)} MB`)
}

type CopyRound = { ours: Awaited<ReturnType<typeof moviePoint>>; full: Cost; copyTop: Cost }

// The `phone` source: MoviePoint between (c) and (d), which one goes first alternating.
async function benchCopySource(label: string, source: string) {
  console.log(`\n${label} (${durationSec} s 1080p30, AAC stereo; lower rungs x264 ${encoder.preset} crf ${encoder.crf})`)
  const results: CopyRound[] = []
  for (let i = 0; i < rounds; i++) {
    const round = {} as CopyRound
    const full = async () => (round.full = await singleRun(source, 1))
    const copyTop = async () => (round.copyTop = await copyTopRun(source))
    const [before, after] = i % 2 === 0 ? [full, copyTop] : [copyTop, full]
    await before()
    round.ours = await moviePoint(source)
    await after()
    const { ours } = round
    console.log(
      `  round ${i + 1}: MoviePoint ${fixed(ours.totalSec, 1)} s (${fixed(ours.cpuSec, 1)} s CPU), playable after ${fixed(ours.playableSec, 1)} s; ` +
        `(c) ${fixed(round.full.wallSec, 1)} s (${fixed(round.full.cpuSec, 1)} s CPU); (d) ${fixed(round.copyTop.wallSec, 1)} s (${fixed(round.copyTop.cpuSec, 1)} s CPU); ` +
        `ratios ${fixed(ours.totalSec / round.full.wallSec)} / ${fixed(ours.totalSec / round.copyTop.wallSec)}; load ${loadAverage()}`,
    )
    results.push(round)
  }
  const ratio = (pick: (round: CopyRound) => number) => fixed(median(results.map(pick)))
  console.log(`  medians of ${rounds} rounds:`)
  console.log(
    `  ÷ (c) hand-written full encode, wall ${ratio(r => r.ours.totalSec / r.full.wallSec)}, CPU ${ratio(r => r.ours.cpuSec / r.full.cpuSec)}   goal ≤ 0.65 (wall)`,
  )
  console.log(
    `  ÷ (d) hand-written copy of the top rung, wall ${ratio(r => r.ours.totalSec / r.copyTop.wallSec)}, CPU ${ratio(r => r.ours.cpuSec / r.copyTop.cpuSec)}   goal ≤ 1.05 (wall)`,
  )
  console.log(`  upload done → playable master ${fixed(median(results.map(r => r.ours.playableSec)), 1)} s   goal ≤ 3 s`)
}

try {
  const preset = process.env.BENCH_SOURCE_PRESET ?? 'medium'
  console.log(`making sources in ${work} (x264 ${preset}) …`)
  // 8-bit 4:2:0 as before, but a keyframe only every 20 s: never copied, these measure the encode.
  const common = {
    width: 1920,
    height: 1080,
    durationSec,
    audio: ['eng', 'rus'],
    fps: 30,
    preset,
    pixelFormat: 'yuv420p' as const,
    keyframeSec: 20,
  }
  const kinds = [
    { name: 'easy', label: 'easy (testsrc2)', options: { ...common, videoBitrate: '8M' } },
    {
      name: 'film',
      label: 'film-like (testsrc2 + noise)',
      options: { ...common, videoFilter: 'noise=alls=20:allf=t', videoBitrate: '20M' },
    },
  ].filter(kind => sources.includes(kind.name))
  const files = await Promise.all(kinds.map(kind => makeSource(join(work, `${kind.name}.mkv`), kind.options)))
  for (const [i, kind] of kinds.entries()) await benchSource(kind.label, files[i])
  if (sources.includes('phone')) {
    const phone = { width: 1920, height: 1080, durationSec, fps: 30, preset, audio: ['eng'], audioChannels: 2 as const }
    const file = await makeSource(join(work, 'phone.mp4'), { ...phone, pixelFormat: 'yuv420p', keyframeSec: 3, videoBitrate: '8M' })
    await benchCopySource('phone-like H.264/AAC that fits the top rung (testsrc2, a keyframe every 3 s)', file)
  }
} finally {
  rmSync(work, { recursive: true, force: true })
}
