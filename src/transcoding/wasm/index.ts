// wasm/: the WebAssembly fallback: ffmpeg from @ffmpeg/core in a Bun Worker, for a worker without native ffmpeg.
// The engine of WebAssembly mode (engine.ts): probe with the build's ffprobe, plan the
// reduced ladder (WasmLadder), run ffmpeg in a fresh instance per command with the media
// folder mounted and nothing else.
import type { Config } from '../../config'
import type { TranscodeEngine } from '../engine'
import { planTranscode } from '../plan'
import { planThumbnails } from '../thumbnails'
import { buildWasmTranscodeArgs } from './args'
import { planWasmRungs } from './ladder'
import { probeWithWasm } from './probe'
import { startWasmFfmpeg } from './run'

export function wasmEngine(config: Pick<Config, 'wasmLadder'>): TranscodeEngine {
  return {
    name: 'wasm',
    async prepare({ sourcePath, folder, limits }) {
      const { probe, video } = await probeWithWasm({ path: sourcePath, folder, limits })
      const { copied, encoded } = planWasmRungs(config.wasmLadder, probe, video)
      const plan = { ...planTranscode(sourcePath, probe), rungs: [...(copied ? [copied.rung] : []), ...encoded] }
      // Previews ride on the decode the encoded rungs need; a copy-only ladder decodes
      // nothing, and would pay a whole decode for them.
      const thumbnails = encoded.length > 0 ? planThumbnails(probe.mediaDurationSec, plan.rungs[0]) : null
      return { probe, plan, thumbnails, buildArgs: workDir => buildWasmTranscodeArgs({ plan, copied, workDir, thumbnails }) }
    },
    startFfmpeg: ({ args, folder, limits, onProgress }) => startWasmFfmpeg({ args, folders: [folder], limits, onProgress }),
  }
}
