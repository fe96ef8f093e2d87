// bun bench/thumbnails.ts — what the seek-bar previews cost the transcoding job.
//
// Source: BENCH_DURATION_SEC (20) seconds of 720p30 testsrc2 + temporal noise with one AAC
// track, encoded with x264's default preset (as uploads are, so decoding costs what it does
// in real life). The worker's own ffmpeg command line (buildTranscodeArgs, production preset
// or MOVIEPOINT_X264_PRESET) runs with and without the thumbnails branch, BENCH_ROUNDS (5)
// times each, alternating, so the machine's drift hits both alike. Reported: the medians of
// wall and CPU time (user + system of ffmpeg), and the previews' share of the job.
// Goal: < 3 %. The ffmpeg run is most of a job but not all of it (probe, publishing), so
// the share of the whole job is a little smaller than the share given here.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { renditionNames, subtitlesFolderName, thumbnailsFolderName } from '../src/hls/layout'
import { planTranscode } from '../src/transcoding'
import { buildTranscodeArgs } from '../src/transcoding/args'
import { encoderSettingsFromEnv } from '../src/transcoding/encoder'
import { probeSource } from '../src/transcoding/probe'
import { planThumbnails } from '../src/transcoding/thumbnails'
import { makeSource } from '../test/helpers/transcode'
import { median } from './stats'

const durationSec = Number(process.env.BENCH_DURATION_SEC ?? 20)
const rounds = Number(process.env.BENCH_ROUNDS ?? 5)
const dir = mkdtempSync(join(tmpdir(), 'moviepoint-bench-thumbs-'))

try {
  const source = await makeSource(join(dir, 'source.mp4'), {
    width: 1280,
    height: 720,
    durationSec,
    audio: ['eng'],
    videoFilter: 'noise=alls=12:allf=t',
    preset: 'medium',
  })
  const probe = await probeSource({ ffprobePath: 'ffprobe', path: source })
  const plan = planTranscode(source, probe)
  const thumbnails = planThumbnails(probe.mediaDurationSec, plan.rungs[0])
  const encoder = encoderSettingsFromEnv()
  console.log(
    `source: ${durationSec} s 1280x720, ${plan.rungs.length} rungs, x264 ${encoder.preset}; previews ${JSON.stringify(thumbnails)}`,
  )

  const runOnce = async (withThumbnails: boolean, round: number) => {
    const workDir = join(dir, `${withThumbnails ? 'with' : 'without'}-${round}`)
    const names = [...plan.rungs.map((_, i) => renditionNames.video(i)), ...plan.audio.map(a => renditionNames.audio(a.key))]
    for (const name of [...names, subtitlesFolderName, thumbnailsFolderName]) mkdirSync(join(workDir, name), { recursive: true })
    const args = buildTranscodeArgs({ plan, encoder, workDir, thumbnails: withThumbnails ? thumbnails : null })
    const startedMs = performance.now()
    const child = Bun.spawn(['ffmpeg', ...args], { stdout: 'ignore', stderr: 'ignore' })
    const code = await child.exited
    const wallSec = (performance.now() - startedMs) / 1000
    if (code !== 0) throw new Error(`ffmpeg exited with ${code}`)
    const usage = child.resourceUsage()
    const cpuSec = usage ? Number(usage.cpuTime.user + usage.cpuTime.system) / 1e6 : Number.NaN
    rmSync(workDir, { recursive: true, force: true })
    return { wallSec, cpuSec }
  }

  const results = { with: [] as { wallSec: number; cpuSec: number }[], without: [] as { wallSec: number; cpuSec: number }[] }
  for (let round = 0; round < rounds; round++) {
    // Alternate which goes first, so neither always runs on a warmer machine.
    const order = round % 2 ? [true, false] : [false, true]
    for (const withThumbnails of order) (withThumbnails ? results.with : results.without).push(await runOnce(withThumbnails, round))
    console.log(
      `round ${round + 1}: with ${results.with.at(-1)?.wallSec.toFixed(2)} s, without ${results.without.at(-1)?.wallSec.toFixed(2)} s`,
    )
  }
  // Each round's two runs are back to back: the median of the rounds' own ratios is what
  // the previews cost, even when the machine's load changes between rounds.
  const figure = (pick: (r: { wallSec: number; cpuSec: number }) => number) => {
    const withSec = median(results.with.map(pick))
    const withoutSec = median(results.without.map(pick))
    const share = median(results.with.map((run, i) => pick(run) / pick(results.without[i]) - 1))
    return `${withSec.toFixed(2)} s with, ${withoutSec.toFixed(2)} s without; per round +${(share * 100).toFixed(1)} %`
  }
  console.log(`wall (median of ${rounds}): ${figure(r => r.wallSec)}   goal < 3 %`)
  console.log(`CPU  (median of ${rounds}): ${figure(r => r.cpuSec)}`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
