// The reduced ladder of WebAssembly mode (server.ini `WasmLadder`, by default `copy,360`):
// ffmpeg in WebAssembly encodes about four times slower than native, so it makes fewer
// rungs, and the top one, when the source already fits it, is the source's own video
// copied (a remux: under a second for a 20 s clip). Pure.
import type { WasmLadderStep } from '../../config'
import { outputFrameRate, planVideoRungs, segmentCuts, segmentSec, type VideoRung } from '../ladder'
import type { SourceProbe } from '../probe'
import type { VideoFacts } from './probe'

// hls-layout.md, "the ladder": a copied stream_0 is H.264 8-bit 4:2:0, progressive, the
// rung's size, a bit rate within reason, keyframes often enough to cut ~6 s segments.
// TODO(merge): the native transcoder gets its own check of these rules (src/transcoding
// plan.ts/args.ts); this one should then give way to it.
const copyRules = {
  pixelFormats: ['yuv420p', 'yuvj420p'],
  // "Within reason": at most the rung's VBV buffer a second (twice its cap).
  maxBitrateShareOfCap: 2,
  // No segment longer than this: keyframes at least this often where the cuts fall.
  maxSegmentSec: segmentSec * 1.5,
}

export type CopiedRung = {
  rung: VideoRung
  // Where every rendition is cut (seconds from the start): just before source keyframes.
  cutsSec: number[]
}

// Each planned cut (2, 6, 12, 18 … s) moves to the first keyframe at or after it.
function cutsAtKeyframes(keyframesSec: number[], durationSec: number): number[] {
  const cuts: number[] = []
  for (const targetSec of segmentCuts(durationSec)) {
    if (targetSec >= durationSec) break
    const keyframeSec = keyframesSec.find(k => k >= targetSec - 0.001)
    if (keyframeSec === undefined || keyframeSec >= durationSec) break
    if (cuts.length === 0 || keyframeSec > cuts[cuts.length - 1]) cuts.push(keyframeSec)
  }
  return cuts
}

// Video bytes between two keyframes, as bits a second: the densest segment of the copy.
function peakKbpsOf(video: VideoFacts, cutsSec: number[], durationSec: number): number {
  const bounds = [0, ...cutsSec, durationSec]
  const bytesAt = (sec: number) => {
    const i = video.keyframesSec.findIndex(k => k >= sec - 0.001)
    return i < 0 ? video.totalBytes : video.bytesBeforeKeyframe[i]
  }
  let peakKbps = 0
  for (let i = 1; i < bounds.length; i++) {
    const seconds = bounds[i] - bounds[i - 1]
    if (seconds > 0) peakKbps = Math.max(peakKbps, ((bytesAt(bounds[i]) - bytesAt(bounds[i - 1])) * 8) / seconds / 1000)
  }
  return Math.ceil(peakKbps)
}

function isSquarePixels(sampleAspectRatio: string | null): boolean {
  return sampleAspectRatio === null || ['1:1', '0:1', 'N/A'].includes(sampleAspectRatio)
}

// The top rung of the full ladder, copied from the source, or null when the source does
// not qualify (one reason per rule).
export function copiedTopRung(probe: SourceProbe, video: VideoFacts): CopiedRung | null {
  const [top] = planVideoRungs({ width: probe.video.displayWidth, height: probe.video.displayHeight })
  const durationSec = probe.mediaDurationSec
  // H.264 8-bit 4:2:0, progressive: what every player decodes.
  if (probe.video.codec !== 'h264' || !copyRules.pixelFormats.includes(video.pixelFormat ?? '')) return null
  if (probe.video.isInterlaced) return null
  // The rung's own size, square pixels, upright: otherwise the picture would need scaling.
  if (probe.video.width !== top.width || probe.video.height !== top.height) return null
  if (!isSquarePixels(video.sampleAspectRatio) || video.isRotated) return null
  // Every rung has the same frame rate, at most 30 fps.
  if (outputFrameRate(probe.video.frameRate) !== probe.video.frameRate) return null
  if (!video.startsWithKeyframe) return null
  const cutsSec = cutsAtKeyframes(video.keyframesSec, durationSec)
  const bounds = [0, ...cutsSec, durationSec]
  if (bounds.some((sec, i) => i > 0 && sec - bounds[i - 1] > copyRules.maxSegmentSec)) return null
  const averageKbps = (video.totalBytes * 8) / durationSec / 1000
  if (averageKbps > top.maxrateKbps * copyRules.maxBitrateShareOfCap) return null
  // The master announces the copy's densest segment until the measured figures are in.
  const peakKbps = peakKbpsOf(video, cutsSec, durationSec)
  return { rung: { ...top, maxrateKbps: peakKbps, bufsizeKbps: 0 }, cutsSec }
}

export type WasmRungs = { copied: CopiedRung | null; encoded: VideoRung[] }

// The steps of `WasmLadder` that exist for this source, highest first: `copy` when the
// source qualifies, then each numbered rung the full ladder has (never an upscale, never
// the copied size twice). Nothing left (a copy-only ladder for a source that does not
// qualify, or a source smaller than every listed rung): the lowest rung of the full ladder.
export function planWasmRungs(steps: WasmLadderStep[], probe: SourceProbe, video: VideoFacts): WasmRungs {
  const full = planVideoRungs({ width: probe.video.displayWidth, height: probe.video.displayHeight })
  const copied = steps.includes('copy') ? copiedTopRung(probe, video) : null
  const encoded = full.filter(
    rung => steps.includes(rung.name.replace(/p$/, '') as WasmLadderStep) && !(copied && rung.name === copied.rung.name),
  )
  if (!copied && encoded.length === 0) return { copied, encoded: full.slice(-1) }
  return { copied, encoded }
}
