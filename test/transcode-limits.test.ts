// The pieces that bound a transcode, on their own: a child stopped by its memory, wall-clock
// or CPU limit (counting the processes it starts), and the judgement of a video's packet
// timestamps against what it declares.
import { describe, expect, test } from 'bun:test'
import { limitsForVideo, spawnBounded } from '../src/transcoding/bounded-child'
import { MediaRejected } from '../src/transcoding/failure'
import { checkPackets, readPacketStats } from '../src/transcoding/packets'

const mib = 2 ** 20

async function runBounded(command: string[], limits: { memoryBytes?: number; wallSec?: number; cpuSec?: number }) {
  const startedMs = Date.now()
  const run = spawnBounded({
    command,
    limits: { memoryBytes: limits.memoryBytes ?? 1024 * mib, wallSec: limits.wallSec ?? 30, cpuSec: limits.cpuSec ?? 30 },
  })
  const [exitCode] = await Promise.all([run.child.exited, new Response(run.child.stdout).text(), new Response(run.child.stderr).text()])
  return { exitCode, limitHit: run.limitHit(), elapsedMs: Date.now() - startedMs, peakRssBytes: run.peakRssBytes() }
}

// Takes 40 MB more every 20 ms, up to 2 GB.
const allocate = `const kept = []; for (let i = 0; i < 50; i++) { kept.push(Buffer.alloc(40e6, 1)); await Bun.sleep(20) }`

describe('a bounded child', () => {
  test('ends normally when it stays within its limits', async () => {
    expect(await runBounded(['true'], {})).toMatchObject({ exitCode: 0, limitHit: null })
  })

  test('is killed once its resident memory passes the limit, grandchildren counted', async () => {
    // sh forks bun (not the last command, so not exec'ed): the memory is a grandchild's.
    const result = await runBounded(['sh', '-c', `${process.execPath} -e '${allocate}'; true`], { memoryBytes: 300 * mib })
    expect(result.limitHit).toBe('memory')
    expect(result.exitCode).not.toBe(0)
    expect(result.peakRssBytes).toBeGreaterThan(300 * mib)
    // Sampled ten times a second: stopped well before the 2 GB it was heading for.
    expect(result.peakRssBytes).toBeLessThan(800 * mib)
  })

  test('is killed at its wall-clock limit', async () => {
    const result = await runBounded(['sleep', '20'], { wallSec: 1 })
    expect(result.limitHit).toBe('time')
    expect(result.elapsedMs).toBeLessThan(5000)
  })

  test('is killed at its CPU limit', async () => {
    const result = await runBounded(['sh', '-c', 'while :; do :; done'], { cpuSec: 1 })
    expect(result.limitHit).toBe('cpu')
    expect(result.elapsedMs).toBeLessThan(15_000)
  })

  test('gets time in proportion to the length of the video', () => {
    const limits = limitsForVideo({ memoryBytes: 2 * 1024 * mib, timeFactor: 20, timeExtraSec: 60 }, 90)
    expect(limits).toEqual({ memoryBytes: 2 * 1024 * mib, wallSec: 1860, cpuSec: 1860 })
  })
})

// Packet lines as ffprobe writes them ("pts_time,dts_time"), fed in awkward chunks.
function statsOf(times: number[], frameRate: number) {
  const stats = readPacketStats(frameRate)
  const text = times.map(t => `${t.toFixed(6)},N/A\n`).join('')
  for (let i = 0; i < text.length; i += 37) stats.feed(text.slice(i, i + 37))
  return stats.result()
}

function reasonOf(times: number[], frameRate: number, isGapClosed = false) {
  try {
    return checkPackets(statsOf(times, frameRate), { frameRate, maxSpanSec: 24 * 3600, isGapClosed })
  } catch (error) {
    expect(error).toBeInstanceOf(MediaRejected)
    return (error as MediaRejected).reason
  }
}

const frames = (count: number, fps: number, fromSec = 0) => Array.from({ length: count }, (_, i) => fromSec + i / fps)

describe('packet timestamps against what the video declares', () => {
  test('an ordinary 25 fps video of two minutes spans two minutes', () => {
    expect(reasonOf(frames(3000, 25), 25)).toBeCloseTo(120, 3)
  })

  test('B-frames out of order and a start far from zero change nothing', () => {
    const reordered = frames(3000, 25, 3600).map((t, i, all) => (i % 3 === 1 ? all[i + 1] : i % 3 === 2 ? all[i - 1] : t))
    expect(reasonOf(reordered, 25)).toBeCloseTo(120, 3)
  })

  test('a day-long gap between two frames is refused, saying where', () => {
    expect(reasonOf([...frames(49, 25), 86_000], 25)).toEqual({ code: 'timestamp_gap', params: { gap: '23:53:18', at: '0:02' } })
  })

  test('in MPEG-TS, where ffmpeg closes such a jump, the same gap is no work and passes', () => {
    const spanSec = reasonOf([...frames(49, 25), 86_000], 25, true) as number
    // Two seconds of pictures, the jump counted as at most a second.
    expect(spanSec).toBeGreaterThanOrEqual(1.96)
    expect(spanSec).toBeLessThanOrEqual(3)
  })

  test('frames spread thin over the span are refused (each gap under the limit)', () => {
    const everyFiveMinutes = Array.from({ length: 200 }, (_, i) => i * 300)
    expect(reasonOf(everyFiveMinutes, 25)).toMatchObject({ code: 'sparse_video' })
  })

  test('far more frames than the span and frame rate allow are refused', () => {
    expect(reasonOf(frames(60_000, 1000), 25)).toMatchObject({ code: 'too_many_frames', params: { frames: 60_000, rate: 25 } })
  })

  test('a slideshow of one picture every 5 s is a real video', () => {
    expect(reasonOf(frames(100, 0.2), 0.2)).toBeCloseTo(500, 3)
  })
})
