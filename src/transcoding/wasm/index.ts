// wasm/: the WebAssembly fallback: ffmpeg from @ffmpeg/core in a Bun Worker, for a worker without native ffmpeg.
// The engine of WebAssembly mode (engine.ts): probe with the build's ffprobe, plan the
// reduced ladder (WasmLadder), run ffmpeg in a fresh instance per command with the media
// folder mounted and nothing else.
import type { Config } from '../../config'
import type { TranscodeEngine } from '../engine'
import type { TranscodePlan } from '../args'
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
      const native = planTranscode(sourcePath, probe)
      const plan: TranscodePlan = {
        ...native,
        rungs: [...(copied ? [copied.rung] : []), ...encoded],
        // This mode decides the copy itself (copied, from its own packet scan): for the shared
        // arguments every rung in `rungs` past a copy is encoded.
        topRung: { kind: 'encode', reason: copied ? 'copied by WebAssembly mode (WasmLadder)' : 'WebAssembly mode (WasmLadder)' },
        targetDurationSec: copied
          ? longestSegmentSec(copied.cutsSec, probe.durationSec, native.targetDurationSec)
          : native.targetDurationSec,
      }
      // Previews ride on the decode the encoded rungs need; a copy-only ladder decodes
      // nothing, and would pay a whole decode for them.
      const thumbnails = encoded.length > 0 ? planThumbnails(probe.mediaDurationSec, plan.rungs[0]) : null
      return { probe, plan, thumbnails, buildArgs: workDir => buildWasmTranscodeArgs({ plan, copied, workDir, thumbnails }) }
    },
    startFfmpeg: ({ args, folder, limits, onProgress }) => startWasmFfmpeg({ args, folders: [folder], limits, onProgress }),
  }
}

// The target duration the copy's cuts need, fixed before the first segment is listed.
function longestSegmentSec(cutsSec: number[], durationSec: number, plannedSec: number): number {
  const bounds = [0, ...cutsSec.filter(sec => sec > 0 && sec < durationSec), durationSec]
  const lengths = bounds.slice(1).map((sec, i) => Math.round(sec - (bounds[i] ?? 0)))
  return Math.max(plannedSec, ...lengths)
}
