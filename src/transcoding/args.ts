// ffmpeg command lines, as argument arrays built from probed and planned values only:
// nothing a client sent (file names, tags) is ever part of them, and no shell is involved.
import { join } from 'node:path'
import { playlistNames, renditionNames, renditionPlaylistName, segmentFileTemplate } from '../hls/layout'
import { type AudioRendition, type SubtitlePlan, type VideoRung, audioBitrateKbpsOf, gopFrames, segmentCuts } from './ladder'
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
}

export type EncoderSettings = { preset: string; crf: number }

// 29.97 is 30000/1001 exactly; ffmpeg keeps timestamps exact only with the fraction.
export function frameRateExpression(fps: number): string {
  for (const base of [24, 30, 48, 60]) if (Math.abs(fps - (base * 1000) / 1001) < 0.001) return `${base * 1000}/1001`
  return Number.isInteger(fps) ? String(fps) : fps.toFixed(3)
}

// The seek-bar previews' branch of the graph, and its output.
export const thumbnailsLabel = 'th'

// Decode once, then one branch per rung: deinterlace if needed, cap the frame rate, split, scale.
// With `thumbnails`, one more branch of the same picture makes the seek-bar previews.
export function filterGraph(plan: TranscodePlan, thumbnails: ThumbnailPlan | null = null): string {
  const deinterlace = plan.isInterlaced ? 'yadif=deint=interlaced,' : ''
  const head = `[0:${plan.videoIndex}]${deinterlace}fps=${frameRateExpression(plan.frameRate)}`
  const scale = (rung: VideoRung) => `scale=${rung.width}:${rung.height}:flags=bicubic,setsar=1,format=yuv420p`
  const previews = thumbnails ? [`[s${plan.rungs.length}]${thumbnailFilter(thumbnails)}[${thumbnailsLabel}]`] : []
  if (plan.rungs.length === 1 && !thumbnails) return `${head},${scale(plan.rungs[0])}[v0]`
  const branches = [...plan.rungs, ...previews].map((_, i) => `[s${i}]`).join('')
  const scaled = plan.rungs.map((rung, i) => `[s${i}]${scale(rung)}[v${i}]`)
  return [`${head},split=${plan.rungs.length + previews.length}${branches}`, ...scaled, ...previews].join(';')
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

function videoOutput(options: VideoOutputOptions): string[] {
  const { rung, index, plan, encoder } = options
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
    '-an',
    '-sn',
    '-dn',
    ...segmentedOutput(options.workDir, renditionNames.video(index), options.cuts),
  ]
}

export function audioOutput(track: AudioRendition, workDir: string, cuts: string): string[] {
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
    ...segmentedOutput(workDir, renditionNames.audio(track.key), cuts),
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
  const cuts = segmentCuts(plan.durationSec).join(',')
  return [
    ...quietArgs('warning'),
    '-progress',
    'pipe:1',
    '-stats_period',
    '1',
    ...safeInputArgs(plan.sourcePath, plan.demuxer),
    '-filter_complex',
    filterGraph(plan, thumbnails),
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
