// How an attempt runs ffmpeg: natively (FFmpegPath, FFprobePath) or, on a machine without
// them or with `Transcoder=wasm`, ffmpeg compiled to WebAssembly (wasm/). Everything else
// of an attempt (publishing, leases, progress, limits, failures) is the same for both.
import type { Config, TranscodeLimits } from '../config'
import { buildTranscodeArgs, type EncoderSettings, type TranscodePlan } from './args'
import type { ChildLimits } from './bounded-child'
import { planTranscode } from './plan'
import { probeSource, type SourceProbe } from './probe'
import type { ProgressBlock } from './progress'
import { type FfmpegRun, startFfmpeg } from './run'
import { planThumbnails, type ThumbnailPlan } from './thumbnails'
import { wasmEngine } from './wasm'

export type StartFfmpeg = (options: {
  args: string[]
  // The media folder: the only one the run needs (WebAssembly mode sees nothing else).
  folder: string
  limits: ChildLimits
  onProgress?: (block: ProgressBlock) => void
}) => FfmpegRun

// A probed source and what the attempt makes of it.
export type PreparedSource = {
  probe: SourceProbe
  plan: TranscodePlan
  // The seek-bar previews the same run makes; null without them.
  thumbnails: ThumbnailPlan | null
  buildArgs: (workDir: string) => string[]
}

export type TranscodeEngine = {
  name: 'native' | 'wasm'
  prepare: (options: { sourcePath: string; folder: string; limits: TranscodeLimits; encoder: EncoderSettings }) => Promise<PreparedSource>
  startFfmpeg: StartFfmpeg
}

export function nativeEngine(config: Pick<Config, 'ffmpegPath' | 'ffprobePath'>): TranscodeEngine {
  return {
    name: 'native',
    async prepare({ sourcePath, limits, encoder }) {
      const probe = await probeSource({ ffprobePath: config.ffprobePath, path: sourcePath, limits })
      const plan = planTranscode(sourcePath, probe)
      const thumbnails = planThumbnails(probe.mediaDurationSec, plan.rungs[0])
      return { probe, plan, thumbnails, buildArgs: workDir => buildTranscodeArgs({ plan, encoder, workDir, thumbnails }) }
    },
    startFfmpeg: ({ args, limits, onProgress }) => startFfmpeg({ ffmpegPath: config.ffmpegPath, args, limits, onProgress }),
  }
}

// Native when both programs are found (a name on PATH or a path), unless server.ini says
// `Transcoder=wasm`. The reason goes into the worker's first log line.
export function chooseEngine(config: Pick<Config, 'ffmpegPath' | 'ffprobePath' | 'transcoder' | 'wasmLadder'>): {
  engine: TranscodeEngine
  reason: string
} {
  if (config.transcoder === 'wasm') return { engine: wasmEngine(config), reason: 'Transcoder=wasm' }
  const missing = [config.ffmpegPath, config.ffprobePath].find(program => !Bun.which(program))
  if (missing) return { engine: wasmEngine(config), reason: `${missing} not found` }
  return { engine: nativeEngine(config), reason: `${config.ffmpegPath}` }
}
