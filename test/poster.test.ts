// poster.jpg: made by a short ffmpeg run after the first segments, and never outliving
// the attempt that started it.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defaultTranscodeLimits } from '../src/config'
import { limitsForVideo } from '../src/transcoding/bounded-child'
import { probeSource } from '../src/transcoding/probe'
import { planTranscode } from '../src/transcoding'
import { makePoster } from '../src/transcoding/poster'
import type { FfmpegRun } from '../src/transcoding/run'
import { ffprobeJson, makeSource } from './helpers/transcode'

let dir: string
let source: string
let plan: ReturnType<typeof planTranscode>
let durationSec: number

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'moviepoint-poster-'))
  source = await makeSource(join(dir, 'source.mp4'), { width: 320, height: 180, durationSec: 2, audio: [] })
  const probe = await probeSource({ ffprobePath: 'ffprobe', path: source })
  plan = planTranscode(source, probe)
  durationSec = probe.durationSec
}, 60_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// How close (dB) an image is to the source's frame at `atSec`.
async function psnr(image: string, atSec: number): Promise<number> {
  const graph = '[0:v]format=yuv420p[a];[1:v]format=yuv420p[b];[a][b]psnr'
  const command = [
    'ffmpeg',
    '-hide_banner',
    '-nostats',
    '-i',
    image,
    '-ss',
    String(atSec),
    '-i',
    source,
    '-frames:v',
    '1',
    '-lavfi',
    graph,
    '-f',
    'null',
    '-',
  ]
  const child = Bun.spawn(command, { stdout: 'ignore', stderr: 'pipe' })
  const stderr = await new Response(child.stderr).text()
  return Number(/average:([\d.]+)/.exec(stderr)?.[1])
}

function posterOptions(name: string, signal: AbortSignal, onRun: (run: FfmpegRun) => void) {
  const folder = join(dir, name)
  mkdirSync(join(folder, 'work'), { recursive: true })
  return {
    ffmpegPath: 'ffmpeg',
    limits: limitsForVideo(defaultTranscodeLimits, durationSec),
    plan,
    durationSec,
    workDir: join(folder, 'work'),
    folder,
    signal,
    onRun,
    // The lease held throughout.
    fence: async () => {},
  }
}

describe('the poster', () => {
  test('is one frame written into the media folder', async () => {
    const options = posterOptions('made', new AbortController().signal, () => {})
    expect(await makePoster(options)).toBe(true)
    expect(existsSync(join(options.folder, 'poster.jpg'))).toBe(true)
  })

  // The source has one keyframe, at 0: an exact seek to a tenth of the film would decode
  // up to there; the poster is that keyframe alone, the size of the top rung.
  test('is the keyframe at or before a tenth of the film, decoded alone', async () => {
    const options = posterOptions('keyframe', new AbortController().signal, () => {})
    expect(await makePoster(options)).toBe(true)
    const poster = join(options.folder, 'poster.jpg')
    const { streams } = await ffprobeJson(poster, ['-show_entries', 'stream=width,height'])
    expect(streams[0]).toEqual({ width: plan.rungs[0].width, height: plan.rungs[0].height })
    const [likeFirst, likeTenth] = [await psnr(poster, 0), await psnr(poster, durationSec * 0.1)]
    expect(likeFirst).toBeGreaterThan(likeTenth + 5)
  })

  test('is not published once the fence says the lease may have run out', async () => {
    const options = { ...posterOptions('fenced', new AbortController().signal, () => {}), fence: () => Promise.reject('lost') }
    await expect(makePoster(options)).rejects.toBe('lost')
    expect(existsSync(join(options.folder, 'poster.jpg'))).toBe(false)
  })

  test('starts no second ffmpeg once its attempt is stopped (the first one killed)', async () => {
    const stopped = new AbortController()
    const runs: FfmpegRun[] = []
    const options = posterOptions('stopped', stopped.signal, run => {
      runs.push(run)
      // As stopAttempt does: no new runs from now on, then kill the ones there are.
      stopped.abort()
      run.kill()
    })
    expect(await makePoster(options)).toBe(false)
    expect(runs).toHaveLength(1)
    expect(existsSync(join(options.folder, 'poster.jpg'))).toBe(false)
  })
})
