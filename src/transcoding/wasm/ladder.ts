// The reduced ladder of WebAssembly mode (server.ini `WasmLadder`, by default `copy,360`):
// ffmpeg in WebAssembly encodes about four times slower than native, so it makes fewer
// rungs, and the top one, when the source already fits it, is the source's own video
// copied (a remux: under a second for a 20 s clip). Whether it fits, and where the cuts
// fall, is native mode's decision (copy.ts topRungCopyPlan). Pure.
import type { WasmLadderStep } from '../../config'
import type { TranscodePlan } from '../args'
import { planTranscode } from '../plan'
import type { SourceProbe } from '../probe'

// The native plan with the steps of `WasmLadder` that exist for this source, highest
// first: the copied top rung when `copy` is listed and the source qualifies, then each
// numbered rung the full ladder has (never an upscale, never the copied size twice).
// Nothing left (a copy-only ladder for a source that does not qualify, or a source
// smaller than every listed rung): the lowest rung of the full ladder.
export function planWasmTranscode(steps: WasmLadderStep[], sourcePath: string, probe: SourceProbe): TranscodePlan {
  const plan = planTranscode(sourcePath, probe, steps.includes('copy') ? {} : { noCopy: 'WasmLadder has no copy step' })
  const copied = plan.topRung.kind === 'copy' ? plan.rungs.slice(0, 1) : []
  const listed = plan.rungs.filter(rung => steps.includes(rung.name.replace(/p$/, '') as WasmLadderStep) && !copied.includes(rung))
  const rungs = [...copied, ...listed]
  return { ...plan, rungs: rungs.length > 0 ? rungs : plan.rungs.slice(-1) }
}
