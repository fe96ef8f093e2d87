// poster.jpg: one frame, the size of the top rung, published once written.
import { rename, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { posterFileName } from '../hls/layout'
import { buildPosterArgs, type TranscodePlan } from './args'
import type { ChildLimits } from './bounded-child'
import type { StartFfmpeg } from './engine'
import type { Fence } from './jobs'
import { type FfmpegRun, startFfmpeg } from './run'

// The keyframe at or before 10% of the film (the first minutes are often black or a
// logo), else the first frame. `onRun` hands each ffmpeg to the caller, who kills them
// if the job stops; once `signal` says so, no further one starts (a killed first try
// would otherwise be followed by a second that nobody kills). It is published only while
// `fence` says the lease holds.
export async function makePoster(options: {
  ffmpegPath: string
  limits: ChildLimits
  plan: TranscodePlan
  durationSec: number
  workDir: string
  folder: string
  signal: AbortSignal
  onRun: (run: FfmpegRun) => void
  fence: Fence
  // Another way to run ffmpeg than `ffmpegPath` (WebAssembly mode, engine.ts).
  start?: StartFfmpeg
}): Promise<boolean> {
  const { plan, workDir } = options
  const outputPath = join(workDir, posterFileName)
  const tryAt = async (atSec: number) => {
    if (options.signal.aborted) return false
    const args = buildPosterArgs({ plan, atSec, outputPath })
    const { ffmpegPath, limits, folder } = options
    const run = options.start ? options.start({ args, folder, limits }) : startFfmpeg({ ffmpegPath, args, limits })
    options.onRun(run)
    const code = await run.exited
    return code === 0 && ((await stat(outputPath).catch(() => null))?.size ?? 0) > 0
  }
  const isMade = (await tryAt(options.durationSec * 0.1)) || (await tryAt(0))
  if (!isMade) return false
  await options.fence()
  await rename(outputPath, join(options.folder, posterFileName))
  return true
}
