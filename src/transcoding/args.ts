// ffmpeg command lines, as argument arrays built from probed and planned values only:
// nothing a client sent (file names, tags) is ever part of them, and no shell is involved.
import { join } from 'node:path'
import { playlistNames, renditionNames, renditionPlaylistName, segmentFileTemplate } from '../hls/layout'
import type { CopyDecision } from './copy'
import { type AudioRendition, type SubtitlePlan, type VideoRung, audioBitrateKbpsOf, gopFrames } from './ladder'
import { safeInputArgs } from './probe'
import { type ThumbnailPlan, thumbnailFilter, thumbnailOutputArgs } from './thumbnails'

export type TranscodePlan = {
  sourcePath: string
  demuxer: string
  durationSec: number
  videoIndex: number
  isInterlaced: boolean
  frameRate: number
  rungs: VideoRung[]
  audio: AudioRendition[]
  subtitles: SubtitlePlan[]
  // stream_0 copied from the source (with its cuts), or why it is encoded.
  topRung: CopyDecision
  // Where every rendition is cut, on the output's clock; encoded rungs get keyframes there.
  cutsSec: number[]
  // EXT-X-TARGETDURATION of every media playlist: known before the first segment, so it
  // never changes while a playlist grows (RFC 8216 6.2.1).
  targetDurationSec: number
}

export type EncoderSettings = { preset: string; crf: number }

// 29.97 is 30000/1001 exactly; ffmpeg keeps timestamps exact only with the fraction.
export function frameRateExpression(fps: number): string {
  for (const base of [24, 30, 48, 60]) if (Math.abs(fps - (base * 1000) / 1001) < 0.001) return `${base * 1000}/1001`
  return Number.isInteger(fps) ? String(fps) : fps.toFixed(3)
}

// The seek-bar previews' branch of the graph, and its output.
export const thumbnailsLabel = 'th'

const isCopied = (plan: TranscodePlan, index: number) => index === 0 && plan.topRung.kind === 'copy'

// Decode once, then one branch per encoded rung: deinterlace if needed, cap the frame rate,
// split, scale. With `thumbnails`, one more branch of the same picture makes the seek-bar
// previews. Null when nothing is decoded (a copied single rung, no previews).
export function filterGraph(plan: TranscodePlan, thumbnails: ThumbnailPlan | null = null): string | null {
  const deinterlace = plan.isInterlaced ? 'yadif=deint=interlaced,' : ''
  // Beside a copied rung the pictures keep the source's own times (at most 30 fps, or it
  // would not be copied): the fps filter would move them onto its grid, off the copy's keyframes.
  const rate = plan.topRung.kind === 'copy' ? 'null' : `fps=${frameRateExpression(plan.frameRate)}`
  const head = `[0:${plan.videoIndex}]${deinterlace}${rate}`
  const scale = (rung: VideoRung) => `scale=${rung.width}:${rung.height}:flags=bicubic,setsar=1,format=yuv420p`
  const branches = [
    ...plan.rungs.flatMap((rung, i) => (isCopied(plan, i) ? [] : [{ filter: scale(rung), label: `v${i}` }])),
    ...(thumbnails ? [{ filter: thumbnailFilter(thumbnails), label: thumbnailsLabel }] : []),
  ]
  if (branches.length === 0) return null
  if (branches.length === 1) return `${head},${branches[0].filter}[${branches[0].label}]`
  const split = `${head},split=${branches.length}${branches.map((_, i) => `[s${i}]`).join('')}`
  return [split, ...branches.map((branch, i) => `[s${i}]${branch.filter}[${branch.label}]`)].join(';')
}

// One segment muxer per rendition, writing into the work folder; the worker publishes from
// there. Its list is rewritten through a temporary file after each segment is closed, so a
// listed segment is a complete one. (ffmpeg's HLS muxer cannot make only the first segment
// short: its `hls_init_time` shortens them all when the playlist keeps every segment.)
// One MPEG-TS muxer runs through all of a rendition's segments (no header and trailer per
// segment): the continuity counters go on across segment files, as players reading them
// one after another expect (a fresh muxer per segment restarts them at 0, which ffmpeg, VLC
// and mpv report as a corrupt packet at every boundary). The segment muxer still starts
// every file with the PAT and PMT, so each segment stands alone. Without a trailer nothing
// writes out the muxer's buffer before the list names the segment (only closing the file
// does, after): `flush_packets` writes every packet at once, so a listed file is whole.
export function segmentedOutput(workDir: string, name: string, cuts: string): string[] {
  return [
    '-f',
    'segment',
    '-segment_format',
    'mpegts',
    '-segment_times',
    cuts,
    '-segment_list',
    join(workDir, renditionPlaylistName(name)),
    '-segment_list_type',
    'm3u8',
    '-segment_start_number',
    '0',
    // Timestamps stay as decoded in every output (no per-output shift for B-frame delay),
    // so renditions line up with each other and with `mpegtsOriginPts`.
    '-muxdelay',
    '0.7',
    '-avoid_negative_ts',
    'disabled',
    '-segment_format_options',
    'avoid_negative_ts=disabled:flush_packets=1',
    '-individual_header_trailer',
    '0',
    join(workDir, name, segmentFileTemplate),
  ]
}

type VideoOutputOptions = { rung: VideoRung; index: number; plan: TranscodePlan; encoder: EncoderSettings; workDir: string; cuts: string }

// The source's own video stream, packets as they are: its keyframes are the cuts.
function copiedVideoOutput(plan: TranscodePlan, workDir: string, cuts: string): string[] {
  return ['-map', `0:${plan.videoIndex}`, '-c:v', 'copy', '-an', '-sn', '-dn', ...segmentedOutput(workDir, renditionNames.video(0), cuts)]
}

// An encoded rung beside a copied one: every frame at its source time (no frame-rate grid),
// on the 90 kHz clock of MPEG-TS, so its keyframes and cuts fall on the copy's exactly.
const sourceTimesArgs = ['-fps_mode', 'passthrough', '-enc_time_base', '1/90000']

function videoOutput(options: VideoOutputOptions): string[] {
  const { rung, index, plan, encoder } = options
  if (isCopied(plan, index)) return copiedVideoOutput(plan, options.workDir, options.cuts)
  const gop = String(gopFrames(plan.frameRate))
  return [
    '-map',
    `[v${index}]`,
    '-c:v',
    'libx264',
    '-preset',
    encoder.preset,
    '-profile:v',
    rung.profile,
    '-crf',
    String(encoder.crf),
    '-maxrate',
    `${rung.maxrateKbps}k`,
    '-bufsize',
    `${rung.bufsizeKbps}k`,
    // Keyframes at the same instants in every rung: forced at every cut, no scene cuts.
    '-g',
    gop,
    '-sc_threshold',
    '0',
    '-force_key_frames',
    `0,${options.cuts}`,
    '-forced-idr',
    '1',
    ...(plan.topRung.kind === 'copy' ? sourceTimesArgs : []),
    '-an',
    '-sn',
    '-dn',
    ...segmentedOutput(options.workDir, renditionNames.video(index), options.cuts),
  ]
}

export function audioOutput(track: AudioRendition, workDir: string, cuts: string): string[] {
  const segmented = segmentedOutput(workDir, renditionNames.audio(track.key), cuts)
  if (track.copy) return ['-map', `0:${track.sourceIndex}`, '-c:a', 'copy', '-vn', '-sn', '-dn', ...segmented]
  return [
    '-map',
    `0:${track.sourceIndex}`,
    '-c:a',
    'aac',
    '-profile:a',
    'aac_low',
    '-b:a',
    `${audioBitrateKbpsOf(track)}k`,
    '-ac',
    String(track.channels ?? 2),
    '-ar',
    '48000',
    '-vn',
    '-sn',
    '-dn',
    ...segmented,
  ]
}

export function subtitleOutput(track: SubtitlePlan, workDir: string): string[] {
  return ['-map', `0:${track.sourceIndex}`, '-c:s', 'webvtt', '-f', 'webvtt', join(workDir, playlistNames.subtitleFile(track.lang))]
}

// Every ffmpeg run: no banner, no stdin, no stats line, overwrite, only messages at `logLevel` or worse.
export function quietArgs(logLevel: 'warning' | 'error'): string[] {
  return ['-hide_banner', '-nostdin', '-nostats', '-y', '-loglevel', logLevel]
}

export function buildTranscodeArgs(options: {
  plan: TranscodePlan
  encoder: EncoderSettings
  workDir: string
  thumbnails?: ThumbnailPlan | null
}): string[] {
  const { plan, encoder, workDir } = options
  const thumbnails = options.thumbnails ?? null
  const cuts = plan.cutsSec.join(',')
  const graph = filterGraph(plan, thumbnails)
  return [
    ...quietArgs('warning'),
    '-progress',
    'pipe:1',
    '-stats_period',
    '1',
    ...safeInputArgs(plan.sourcePath, plan.demuxer),
    ...(graph ? ['-filter_complex', graph] : []),
    ...plan.rungs.flatMap((rung, index) => videoOutput({ rung, index, plan, encoder, workDir, cuts })),
    ...(thumbnails ? thumbnailOutputArgs(thumbnailsLabel, workDir) : []),
    ...plan.audio.flatMap(track => audioOutput(track, workDir, cuts)),
    ...plan.subtitles.flatMap(track => subtitleOutput(track, workDir)),
  ]
}

// One frame near `atSec`, the size of the top rung: the keyframe the seek lands on (at or
// before `atSec`), found by the index and decoded alone. Decoding only keyframes keeps
// the cost to one frame, where an exact seek would decode up to a whole GOP (about
// 0.8 s of CPU for 1080p, taken from the transcode running beside it).
export function buildPosterArgs(options: { plan: TranscodePlan; atSec: number; outputPath: string }): string[] {
  const { plan } = options
  const top = plan.rungs[0]
  const deinterlace = plan.isInterlaced ? 'yadif,' : ''
  return [
    ...quietArgs('error'),
    '-ss',
    options.atSec.toFixed(3),
    '-noaccurate_seek',
    '-skip_frame',
    'nokey',
    ...safeInputArgs(plan.sourcePath, plan.demuxer),
    '-map',
    `0:${plan.videoIndex}`,
    '-frames:v',
    '1',
    // That keyframe lies before `atSec`: kept as it is, not dropped as "before the start".
    '-fps_mode',
    'passthrough',
    '-vf',
    `${deinterlace}scale=${top.width}:${top.height},setsar=1`,
    '-q:v',
    '3',
    '-f',
    'image2',
    '-update',
    '1',
    options.outputPath,
  ]
}
