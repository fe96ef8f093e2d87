// The ffmpeg command of WebAssembly mode: one decode, the native command's outputs
// (args.ts: segment muxers, audio, subtitles, seek-bar previews), but the reduced ladder:
// a copied top rung and x264 `ultrafast` for the encoded ones.
import { renditionNames } from '../../hls/layout'
import {
  type EncoderSettings,
  audioOutput,
  filterGraph,
  quietArgs,
  segmentedOutput,
  subtitleOutput,
  thumbnailsLabel,
  type TranscodePlan,
} from '../args'
import { gopFrames, segmentCuts, type VideoRung } from '../ladder'
import { safeInputArgs } from '../probe'
import { type ThumbnailPlan, thumbnailFilter, thumbnailOutputArgs } from '../thumbnails'
import type { CopiedRung } from './ladder'

// The fastest preset: WebAssembly has no SIMD assembly of x264, and every rung costs.
export const wasmEncoder: EncoderSettings = { preset: 'ultrafast', crf: 23 }

// 5.999 for a keyframe at 6.000: both the copy (cut at the first keyframe from there) and
// the encoded rungs (a keyframe forced on the first frame from there) land on that frame.
// The list goes on past the end, as the native one does (a declared duration may be short).
export function cutList(copied: CopiedRung | null, durationSec: number): string {
  if (!copied) return segmentCuts(durationSec).join(',')
  const pastEndSec = Math.ceil(durationSec) + 60
  return [...copied.cutsSec.map(sec => Math.max(0, sec - 0.001).toFixed(3)), pastEndSec].join(',')
}

function copiedVideoOutput(plan: TranscodePlan, workDir: string, cuts: string): string[] {
  return ['-map', `0:${plan.videoIndex}`, '-c:v', 'copy', '-an', '-sn', '-dn', ...segmentedOutput(workDir, renditionNames.video(0), cuts)]
}

type EncodedOutput = {
  rung: VideoRung
  label: string
  streamIndex: number
  frameRate: number
  workDir: string
  cuts: string
  // Beside a copy: every frame keeps its source timestamp (no frame-rate conversion, and
  // MPEG-TS's 90 kHz clock rather than 1/fps, which would move frames onto the rate's grid:
  // a source starting at 0.023 s would have its rung start at 0 or 0.042 s, off the copy's).
  isBesideCopy: boolean
}

function encodedVideoOutput(output: EncodedOutput): string[] {
  const { rung } = output
  return [
    ...['-map', `[${output.label}]`, '-c:v', 'libx264', '-preset', wasmEncoder.preset, '-crf', String(wasmEncoder.crf)],
    ...['-profile:v', rung.profile, '-maxrate', `${rung.maxrateKbps}k`, '-bufsize', `${rung.bufsizeKbps}k`],
    ...['-g', String(gopFrames(output.frameRate)), '-sc_threshold', '0', '-force_key_frames', `0,${output.cuts}`, '-forced-idr', '1'],
    ...(output.isBesideCopy ? ['-fps_mode', 'passthrough', '-enc_time_base', '1:90000'] : []),
    ...['-an', '-sn', '-dn'],
    ...segmentedOutput(output.workDir, renditionNames.video(output.streamIndex), output.cuts),
  ]
}

// Beside a copy, the encoded rungs take the source's frames with their timestamps as they
// are: no fps filter (a copy qualifies at 30 fps or less, so it would change no rate, only
// snap timestamps to its grid and move the keyframes off the copy's). Otherwise args.ts's graph.
function graphBesideCopy(plan: TranscodePlan, encoded: VideoRung[], thumbnails: ThumbnailPlan | null): string {
  const scaled = encoded.map((rung, i) => `[s${i}]scale=${rung.width}:${rung.height}:flags=bicubic,setsar=1,format=yuv420p[v${i}]`)
  const previews = thumbnails ? [`[s${encoded.length}]${thumbnailFilter(thumbnails)}[${thumbnailsLabel}]`] : []
  const branches = [...scaled, ...previews].map((_, i) => `[s${i}]`).join('')
  return [`[0:${plan.videoIndex}]split=${scaled.length + previews.length}${branches}`, ...scaled, ...previews].join(';')
}

// `plan.rungs` is the whole reduced ladder (the copied rung first, when there is one);
// the filter graph decodes only for the encoded ones, and only when there are any.
export function buildWasmTranscodeArgs(options: {
  plan: TranscodePlan
  copied: CopiedRung | null
  workDir: string
  thumbnails: ThumbnailPlan | null
}): string[] {
  const { plan, copied, workDir, thumbnails } = options
  const cuts = cutList(copied, plan.durationSec)
  const offset = copied ? 1 : 0
  const encoded = plan.rungs.slice(offset)
  const graphText = copied ? graphBesideCopy(plan, encoded, thumbnails) : filterGraph({ ...plan, rungs: encoded }, thumbnails)
  const graph = graphText ? ['-filter_complex', graphText] : []
  return [
    ...quietArgs('warning'),
    ...['-progress', 'pipe:1', '-stats_period', '1'],
    ...safeInputArgs(plan.sourcePath, plan.demuxer),
    ...graph,
    ...(copied ? copiedVideoOutput(plan, workDir, cuts) : []),
    ...encoded.flatMap((rung, i) =>
      encodedVideoOutput({
        rung,
        label: `v${i}`,
        streamIndex: i + offset,
        frameRate: plan.frameRate,
        workDir,
        cuts,
        isBesideCopy: !!copied,
      }),
    ),
    ...(thumbnails && encoded.length > 0 ? thumbnailOutputArgs(thumbnailsLabel, workDir) : []),
    ...plan.audio.flatMap(track => audioOutput(track, workDir, cuts)),
    ...plan.subtitles.flatMap(track => subtitleOutput(track, workDir)),
  ]
}
