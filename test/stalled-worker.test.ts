// A worker that stalls past its lease without dying (a VM pause, a swap storm, SIGSTOP) and
// is then resumed must publish no file more: by then another worker took the job over and
// publishes its own attempt in the same folders, and a late playlist or segment of the
// stalled one would list URIs that answer nothing, or other bytes than they did. First the
// worker stops itself (MOVIEPOINT_STALL_AT, a test fault-injection point) at the worst
// instant: segments just renamed into place, their playlist not yet written; then it is
// stopped from outside, wherever it is. Leases are short (3 s) so that the second worker,
// started beside the server, takes the job soon.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseMediaPlaylist } from '../src/hls/playlists'
import { playsThrough } from './helpers/hls-checks'
import { until } from './helpers/media'
import { repoRoot } from './helpers/server'
import { ffmpegProcessesFor, isFinished, jobRows, makeSource, mediaRow, pidOfLeaseOwner, shortLeaseEnv } from './helpers/transcode'
import { enqueueSource, sourcesFolder, startTranscodeServer, type TranscodeServer } from './helpers/transcode-server'

setDefaultTimeout(120_000)

const sources = sourcesFolder('moviepoint-sources-')
const leaseEnv = shortLeaseEnv
const renditions = ['stream_0', 'stream_1', 'audio_en']
let at: TranscodeServer
let source: string

beforeAll(async () => {
  source = await makeSource(join(sources, 'film.mkv'), { width: 854, height: 480, durationSec: 24, audio: ['eng'] })
  // Its one worker stalls the first time it is about to list new segments beside older ones.
  at = await startTranscodeServer({ env: { ...leaseEnv, MOVIEPOINT_STALL_AT: 'segment-playlist' } })
})
afterAll(async () => {
  at.close()
  await at.server.stop()
})

const isStopped = (pid: number) => /\) [Tt] /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))

function signal(pids: number[], name: 'SIGSTOP' | 'SIGCONT') {
  for (const pid of pids) {
    try {
      process.kill(pid, name)
    } catch {}
  }
}

const sha256Of = (bytes: ArrayBuffer) => new Bun.CryptoHasher('sha256').update(bytes).digest('hex')

// The media playlists as served now (absent ones left out), by name.
async function servedPlaylists(base: string): Promise<Record<string, string>> {
  const served: Record<string, string> = {}
  for (const name of renditions) {
    const response = await fetch(`${base}/${name}.m3u8`)
    if (response.status === 200) served[name] = await response.text()
  }
  return served
}

const listedUris = (playlists: Record<string, string>) =>
  Object.values(playlists).flatMap(text => parseMediaPlaylist(text).segments.map(segment => segment.uri))

// Every URI the served playlists list must answer 200 with the bytes it answered the first
// time it was seen (`seen`, URI → SHA-256), or be listed no more (a new attempt setting the
// old one's segments aside removes its playlists first; a file moved while it is read may
// answer 500, not 404).
async function checkListed(base: string, seen: Map<string, string>) {
  for (const uri of listedUris(await servedPlaylists(base))) {
    const response = await fetch(`${base}/${uri}`)
    const sha256 = sha256Of(await response.arrayBuffer())
    if (response.status !== 200 && !listedUris(await servedPlaylists(base)).includes(uri)) continue
    expect({ uri, status: response.status }).toEqual({ uri, status: 200 })
    expect({ uri, sha256 }).toEqual({ uri, sha256: seen.get(uri) ?? sha256 })
    seen.set(uri, sha256)
  }
}

// The served playlists once two looks, a publishing round apart, find them the same.
async function settledPlaylists(base: string): Promise<Record<string, string>> {
  let before = await servedPlaylists(base)
  for (;;) {
    await Bun.sleep(800)
    const now = await servedPlaylists(base)
    if (JSON.stringify(now) === JSON.stringify(before)) return now
    before = now
  }
}

function startSecondWorker() {
  const env: Record<string, string | undefined> = { ...process.env, ...leaseEnv, MOVIEPOINT_CONFIG: at.server.iniPath }
  delete env.MOVIEPOINT_STALL_AT
  return Bun.spawn(['bun', 'run', 'worker'], { cwd: repoRoot, env, stdout: 'pipe', stderr: 'pipe' })
}

type Stalled = { mediaId: number; base: string; folder: string; owner: string; pids: number[]; seen: Map<string, string> }

// A media queued, its worker (and ffmpeg) stalled by `stall`: what they listed by then is seen.
async function queuedThenStalled(stall: (workerPid: number, mediaId: number) => Promise<void>): Promise<Stalled> {
  const { server, db } = at
  const { mediaId } = await enqueueSource(at, source)
  const base = `${server.url}/media/${mediaId}`
  const folder = join(server.mediaDir, String(mediaId))
  const owner = await until(async () => (await jobRows(db, mediaId))[0]?.leaseOwner)
  const workerPid = pidOfLeaseOwner(owner) as number
  const pids = [workerPid]
  try {
    await stall(workerPid, mediaId)
    // Its ffmpeg stalls with it, as in a VM pause.
    pids.push(...ffmpegProcessesFor(join(folder, '.work', '1')))
    signal(pids, 'SIGSTOP')
  } catch (error) {
    signal(pids, 'SIGCONT')
    throw error
  }
  const seen = new Map<string, string>()
  await checkListed(base, seen)
  expect(seen.size).toBeGreaterThan(0)
  return { mediaId, base, folder, owner, pids, seen }
}

// Another worker (beside the server) takes the job once the lease has run out, and publishes
// its attempt; then its ffmpeg is held still, so that whatever changes the served files next
// is the stalled worker. Answers the playlists served then, and the ffmpeg held.
async function takenOver(stalled: Stalled, taker: { ffmpeg: number[] }) {
  await until(async () => {
    await checkListed(stalled.base, stalled.seen)
    // The second publication of the media, playable: the other worker's first master is out.
    const row = await mediaRow(at.db, stalled.mediaId)
    return row.publications === 2 && row.isPlayable
  }, 60_000)
  taker.ffmpeg.push(...ffmpegProcessesFor(join(stalled.folder, '.work', '2')))
  expect(taker.ffmpeg.length).toBeGreaterThan(0)
  signal(taker.ffmpeg, 'SIGSTOP')
  const published = await settledPlaylists(stalled.base)
  await checkListed(stalled.base, stalled.seen)
  return published
}

async function resumedAndStopped(stalled: Stalled) {
  signal([...stalled.pids].reverse(), 'SIGCONT')
  const line = new RegExp(`media ${stalled.mediaId} attempt 1: stopped after [\\d.]+ s \\(lost\\)`)
  await until(() => line.test(at.server.output()), 20_000)
  await until(() => ffmpegProcessesFor(join(stalled.folder, '.work', '1')).length === 0, 5000)
}

async function finishedReady(stalled: Stalled, attempts: number) {
  while (!isFinished(await mediaRow(at.db, stalled.mediaId))) {
    await checkListed(stalled.base, stalled.seen)
    await Bun.sleep(100)
  }
  await checkListed(stalled.base, stalled.seen)
  expect((await mediaRow(at.db, stalled.mediaId)).status).toBe('ready')
  expect(await jobRows(at.db, stalled.mediaId)).toEqual([expect.objectContaining({ status: 'done', attempts })])
  await playsThrough(`${stalled.base}/master.m3u8`)
}

// The whole story: stalled, taken over, resumed (it must publish nothing), finished by the other.
async function stalledTakenOverResumed(stall: (workerPid: number, mediaId: number) => Promise<void>) {
  const stalled = await queuedThenStalled(stall)
  const taker = { ffmpeg: [] as number[] }
  const worker = startSecondWorker()
  try {
    const published = await takenOver(stalled, taker)
    await resumedAndStopped(stalled)
    expect(await servedPlaylists(stalled.base)).toEqual(published)
    await checkListed(stalled.base, stalled.seen)
    signal(taker.ffmpeg, 'SIGCONT')
    await finishedReady(stalled, 2)
  } finally {
    signal([...stalled.pids, ...taker.ffmpeg], 'SIGCONT')
    worker.kill('SIGTERM')
    await worker.exited
  }
}

describe('a worker resumed after stalling past its lease, its job taken over meanwhile', () => {
  // The first: this stall is the server worker's one (MOVIEPOINT_STALL_AT stops it once).
  test('stalled right before listing segments it renamed into place: lists none of them; every URI keeps its bytes; the video ends ready', async () => {
    await stalledTakenOverResumed(async workerPid => {
      await until(() => isStopped(workerPid), 60_000)
    })
  })

  test('stopped from outside mid-transcode, with its ffmpeg: publishes nothing more; every URI keeps its bytes; the video ends ready', async () => {
    await stalledTakenOverResumed(async (_, mediaId) => {
      await until(async () => (await mediaRow(at.db, mediaId)).isPlayable, 60_000)
    })
  })
})

describe('a worker resumed after stalling past its lease, with no other worker to take the job', () => {
  // Its lease ran out, yet the job is still its own: the fence renews it, nothing is lost.
  test('renews the lease and finishes the video in the same attempt', async () => {
    const playable = async (_: number, mediaId: number) => {
      await until(async () => (await mediaRow(at.db, mediaId)).isPlayable, 60_000)
    }
    const stalled = await queuedThenStalled(playable)
    try {
      const [job] = await jobRows(at.db, stalled.mediaId)
      await until(() => Date.now() > (job.leaseExpiresAtMs ?? 0) + 1000, 10_000, 100)
      await checkListed(stalled.base, stalled.seen)
    } finally {
      signal([...stalled.pids].reverse(), 'SIGCONT')
    }
    await finishedReady(stalled, 1)
    expect(at.server.output()).not.toContain(`media ${stalled.mediaId} attempt 1: stopped`)
  })
})
