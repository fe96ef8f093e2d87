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
import { type ThumbnailPlan, thumbnailOutputArgs } from '../thumbnails'
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

type EncodedOutput = { rung: VideoRung; label: string; streamIndex: number; frameRate: number; workDir: string; cuts: string }

function encodedVideoOutput(output: EncodedOutput): string[] {
  const { rung } = output
  return [
    ...['-map', `[${output.label}]`, '-c:v', 'libx264', '-preset', wasmEncoder.preset, '-crf', String(wasmEncoder.crf)],
    ...['-profile:v', rung.profile, '-maxrate', `${rung.maxrateKbps}k`, '-bufsize', `${rung.bufsizeKbps}k`],
    ...['-g', String(gopFrames(output.frameRate)), '-sc_threshold', '0', '-force_key_frames', `0,${output.cuts}`, '-forced-idr', '1'],
    ...['-an', '-sn', '-dn'],
    ...segmentedOutput(output.workDir, renditionNames.video(output.streamIndex), output.cuts),
  ]
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
  const graph = encoded.length > 0 ? ['-filter_complex', filterGraph({ ...plan, rungs: encoded }, thumbnails)] : []
  return [
    ...quietArgs('warning'),
    ...['-progress', 'pipe:1', '-stats_period', '1'],
    ...safeInputArgs(plan.sourcePath, plan.demuxer),
    ...graph,
    ...(copied ? copiedVideoOutput(plan, workDir, cuts) : []),
    ...encoded.flatMap((rung, i) =>
      encodedVideoOutput({ rung, label: `v${i}`, streamIndex: i + offset, frameRate: plan.frameRate, workDir, cuts }),
    ),
    ...(thumbnails && encoded.length > 0 ? thumbnailOutputArgs(thumbnailsLabel, workDir) : []),
    ...plan.audio.flatMap(track => audioOutput(track, workDir, cuts)),
    ...plan.subtitles.flatMap(track => subtitleOutput(track, workDir)),
  ]
}
