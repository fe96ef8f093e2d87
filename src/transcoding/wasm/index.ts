// wasm/: the WebAssembly fallback: ffmpeg from @ffmpeg/core in a Bun Worker, for a worker without native ffmpeg.
// The engine of WebAssembly mode (engine.ts): probe with the build's ffprobe, plan the
// reduced ladder (WasmLadder), run native mode's command (args.ts) with x264 `ultrafast`
// in a fresh instance per command with the media folder mounted and nothing else.
import type { Config } from '../../config'
import type { TranscodeEngine } from '../engine'
import { buildTranscodeArgs, type EncoderSettings } from '../args'
import { planThumbnails } from '../thumbnails'
import { planWasmTranscode } from './ladder'
import { probeWithWasm } from './probe'
import { startWasmFfmpeg } from './run'

// The fastest preset: WebAssembly has no SIMD assembly of x264, and every rung costs.
export const wasmEncoder: EncoderSettings = { preset: 'ultrafast', crf: 23 }

export function wasmEngine(config: Pick<Config, 'wasmLadder'>): TranscodeEngine {
  return {
    name: 'wasm',
    async prepare({ sourcePath, folder, limits }) {
      const probe = await probeWithWasm({ path: sourcePath, folder, limits })
      const plan = planWasmTranscode(config.wasmLadder, sourcePath, probe)
      // Previews ride on the decode the encoded rungs need; a copy-only ladder decodes
      // nothing, and would pay a whole decode for them.
      const encodesAny = plan.rungs.length > (plan.topRung.kind === 'copy' ? 1 : 0)
      const thumbnails = encodesAny ? planThumbnails(probe.mediaDurationSec, plan.rungs[0]) : null
      return { probe, plan, thumbnails, buildArgs: workDir => buildTranscodeArgs({ plan, encoder: wasmEncoder, workDir, thumbnails }) }
    },
    startFfmpeg: ({ args, folder, limits, onProgress }) => startWasmFfmpeg({ args, folders: [folder], limits, onProgress }),
  }
}
