// What an uploaded file is, and whether ffmpeg may touch it. An upload is hostile until
// proven otherwise: a text playlist renamed to .mp4 would make ffmpeg's HLS or concat
// demuxers read any file on the server (/etc/passwd) into the "video", and a header that
// declares a 100 000 × 100 000 picture or a 1000-hour film would eat the machine. So:
// sniff the first bytes, probe only with allowed demuxers and the file protocol, and
// refuse absurd declarations before a single frame is decoded. Then read the video's packet
// timestamps (demuxing only, packets.ts) and refuse a file whose real content disagrees
// with what it declares. Every ffprobe run is bounded (bounded-child.ts).
import { open, stat } from 'node:fs/promises'
import { defaultTranscodeLimits, type TranscodeLimits } from '../config'
import { type ChildLimits, type LimitHit, readText, rejectionForLimit, spawnBounded } from './bounded-child'
import { formatDuration, MediaRejected } from './failure'
import { type KeyframeIndex, keyframeCutter } from './copy'
import { checkPackets, demuxersClosingGaps, packetScanArgs, readPacketStats } from './packets'

export { MediaRejected } from './failure'

// Container demuxers a video upload may use (ffmpeg names). Never hls, concat, image2,
// sdp, data, tty… — demuxers that open other files or URLs named inside the upload.
export const allowedDemuxers = [
  'mov',
  'matroska',
  'webm',
  'avi',
  'mpegts',
  'mpeg',
  'flv',
  'asf',
  'ogg',
  'mxf',
  'dv',
  'rm',
  'yuv4mpegpipe',
] as const

const maxStreams = 64

export const limits = {
  maxWidth: 8192,
  maxHeight: 8192,
  // 8K UHD (7680 × 4320) and DCI 8K fit; anything larger is a decompression bomb.
  maxPixels: 8192 * 4320,
  maxDurationSec: 24 * 3600,
  maxStreams,
  probeTimeSec: 60,
  // Reading every packet of the file goes at least this fast (a slow disk); slower is refused.
  scanBytesPerSec: 20_000_000,
}

export type VideoStreamInfo = {
  index: number
  codec: string
  width: number
  height: number
  // The picture as shown: sample aspect ratio applied, rotation (phone videos) applied.
  displayWidth: number
  displayHeight: number
  frameRate: number
  isInterlaced: boolean
  // What copying it as the top rung depends on (copy.ts): "yuv420p", the declared bit rate,
  // and the turn a player applies (0, 90, 180 or 270 degrees; a copy in MPEG-TS loses it).
  pixelFormat: string | null
  bitrateBps: number | null
  rotation: number
}
export type AudioStreamInfo = {
  index: number
  language: string | null
  channels: number
  codec: string
  profile: string | null
  bitrateBps: number | null
}
export type SubtitleStreamInfo = { index: number; language: string | null; codec: string }

export type SourceProbe = {
  // The demuxer ffprobe settled on (first name of format_name: "mov", "matroska"…).
  demuxer: string
  durationSec: number
  // From the first video packet to the last: what the transcode really works through.
  videoSpanSec: number
  // How long the streams that are transcoded (the video and every audio) say they last: a
  // subtitle track may run on past the film and make the container longer than all of them.
  mediaDurationSec: number
  video: VideoStreamInfo
  audio: AudioStreamInfo[]
  subtitles: SubtitleStreamInfo[]
  // Where ffmpeg's output clock starts: the container's start time (it subtracts it).
  startSec: number
  // The video's keyframes as far as copying goes; null until the packets are read.
  keyframes: KeyframeIndex | null
}

// Subtitle codecs that are text ffmpeg can turn into WebVTT (bitmap ones — PGS, VobSub — cannot).
const textSubtitleCodecs = new Set(['subrip', 'srt', 'ass', 'ssa', 'webvtt', 'mov_text', 'text'])

// ffmpeg input options shared by every run that reads an upload.
export function safeInputArgs(path: string, demuxer?: string): string[] {
  const format = demuxer ? ['-f', demuxer] : []
  return [
    '-protocol_whitelist',
    'file',
    '-format_whitelist',
    allowedDemuxers.join(','),
    // The demuxer stops at the stream after the last allowed one, before any of them has
    // decoders and buffers: 1,000 one-frame 1080p streams took ffprobe to 5 GB otherwise.
    '-max_streams',
    String(maxStreams),
    ...format,
    // `file:` so that no name can be taken for another protocol.
    '-i',
    `file:${path}`,
  ]
}

// Playlists (M3U/HLS, PLS, SMIL, DASH…), ffmpeg concat lists, SDP, links to other files.
const textSignatures: RegExp[] = [
  /^#EXTM3U/i,
  /^ffconcat/i,
  /^(file|concat|subfile|https?|ftp|rtmp|tcp|udp|data):/i,
  /^<\?xml|^<(smil|mpd|playlist|asx)/i,
  /^v=0\r?\n/,
  /^\[playlist\]/i,
]

// Refuses text playlists and references before ffmpeg opens the file at all.
export async function sniffSource(path: string): Promise<void> {
  const handle = await open(path, 'r')
  let head: string
  try {
    const buffer = Buffer.alloc(512)
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0)
    if (bytesRead === 0) throw new MediaRejected('empty_file')
    head = buffer
      .subarray(0, bytesRead)
      .toString('latin1')
      .replace(/^(\xef\xbb\xbf|\xff\xfe|\xfe\xff)/, '')
      .trimStart()
  } finally {
    await handle.close()
  }
  if (textSignatures.some(signature => signature.test(head))) throw new MediaRejected('playlist_or_reference')
}

type RawStream = {
  index: number
  codec_type?: string
  codec_name?: string
  profile?: string
  pix_fmt?: string
  bit_rate?: string
  width?: number
  height?: number
  sample_aspect_ratio?: string
  avg_frame_rate?: string
  r_frame_rate?: string
  field_order?: string
  channels?: number
  duration?: string
  disposition?: { attached_pic?: number }
  tags?: Record<string, string>
  side_data_list?: { rotation?: number }[]
}
export type RawProbe = {
  format?: { format_name?: string; duration?: string; start_time?: string; nb_streams?: number }
  streams?: RawStream[]
}

function parseRatio(text: string | undefined): number {
  const [num, den] = (text ?? '').split(/[:/]/).map(Number)
  return num > 0 && den > 0 ? num / den : 0
}

const commonFrameRates = [24000 / 1001, 24, 25, 30000 / 1001, 30, 48, 50, 60000 / 1001, 60, 100, 120000 / 1001, 120]

const relativeGap = (a: number, b: number) => Math.abs(a - b) / b

// The base rate (r_frame_rate) is exact for constant-rate files; the average is what a
// variable-rate phone video really has (its base rate may be 90000). Averages computed
// from millisecond timestamps (Matroska) read 29.98 for 30: snap to the nearest common rate.
function frameRateOf(stream: RawStream): number {
  const base = parseRatio(stream.r_frame_rate)
  const average = parseRatio(stream.avg_frame_rate)
  const rate = base > 0 && base <= 240 && (!average || relativeGap(average, base) < 0.05) ? base : average || base
  if (!(rate > 0 && rate <= 1000)) return 25
  const nearest = commonFrameRates.reduce((best, candidate) =>
    relativeGap(rate, candidate) < relativeGap(rate, best) ? candidate : best,
  )
  return relativeGap(rate, nearest) < 0.01 ? nearest : rate
}

// Degrees clockwise or counter-clockwise alike, 0 to 270.
function rotationOf(stream: RawStream): number {
  const fromSideData = stream.side_data_list?.find(data => typeof data.rotation === 'number')?.rotation
  const degrees = Math.abs(Number(fromSideData ?? stream.tags?.rotate ?? 0)) % 360
  return Number.isFinite(degrees) ? degrees : 0
}

function durationOf(raw: RawProbe, video: RawStream): number {
  const declared = Number(raw.format?.duration ?? video.duration)
  if (!Number.isFinite(declared) || declared <= 0) throw new MediaRejected('unknown_length')
  if (declared > limits.maxDurationSec) throw new MediaRejected('too_long', { hours: limits.maxDurationSec / 3600 })
  return declared
}

// Streams of MP4 and most containers declare a duration; Matroska's carry a DURATION tag
// ("00:20:00.023000000") written by the muxer.
function streamDurationOf(stream: RawStream): number | null {
  const tag = Object.entries(stream.tags ?? {}).find(([key]) => /^duration(-\w+)?$/i.test(key))?.[1] ?? ''
  const [, hours, minutes, seconds] = /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(tag) ?? []
  const declared = stream.duration !== undefined ? Number(stream.duration) : Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds)
  return Number.isFinite(declared) && declared > 0 ? declared : null
}

function mediaDurationOf(transcoded: RawStream[], containerSec: number): number {
  const declared = transcoded.map(streamDurationOf).filter(sec => sec !== null)
  return declared.length > 0 ? Math.min(containerSec, Math.max(...declared)) : containerSec
}

function checkPictureSize(width: number, height: number) {
  if (!(width > 0 && height > 0)) throw new MediaRejected('unknown_picture_size')
  if (width > limits.maxWidth || height > limits.maxHeight || width * height > limits.maxPixels)
    throw new MediaRejected('picture_too_large', { width, height })
}

function videoInfo(stream: RawStream): VideoStreamInfo {
  const width = stream.width ?? 0
  const height = stream.height ?? 0
  checkPictureSize(width, height)
  const displayWidth = Math.round(width * (parseRatio(stream.sample_aspect_ratio) || 1))
  const rotation = rotationOf(stream)
  const isTurned = rotation % 180 === 90
  return {
    index: stream.index,
    codec: stream.codec_name ?? 'unknown',
    width,
    height,
    displayWidth: isTurned ? height : displayWidth,
    displayHeight: isTurned ? displayWidth : height,
    frameRate: frameRateOf(stream),
    isInterlaced: ['tt', 'bb', 'tb', 'bt'].includes(stream.field_order ?? ''),
    pixelFormat: stream.pix_fmt ?? null,
    bitrateBps: bitrateOf(stream),
    rotation,
  }
}

function bitrateOf(stream: RawStream): number | null {
  const bps = Number(stream.bit_rate)
  return Number.isFinite(bps) && bps > 0 ? bps : null
}

function audioInfo(stream: RawStream): AudioStreamInfo {
  return {
    index: stream.index,
    language: stream.tags?.language ?? null,
    channels: stream.channels ?? 2,
    codec: stream.codec_name ?? 'unknown',
    profile: stream.profile ?? null,
    bitrateBps: bitrateOf(stream),
  }
}

// Turns ffprobe's JSON into what the transcoder needs, or refuses the file. The video's
// span is what the header says until the packets are read (probeSource).
export function checkProbe(raw: RawProbe): SourceProbe {
  const formatName = raw.format?.format_name
  if (!formatName?.split(',').some(name => (allowedDemuxers as readonly string[]).includes(name))) throw new MediaRejected('not_a_video')
  const demuxer = formatName.split(',')[0]
  const streams = raw.streams ?? []
  if (streams.length > limits.maxStreams || (raw.format?.nb_streams ?? 0) > limits.maxStreams)
    throw new MediaRejected('too_many_streams', { max: limits.maxStreams })
  // Cover art is a "video" stream of one picture; the film is the first real one.
  const video = streams.find(s => s.codec_type === 'video' && !s.disposition?.attached_pic && s.codec_name)
  if (!video) throw new MediaRejected('no_video_stream')
  const audio = streams.filter(s => s.codec_type === 'audio' && s.codec_name)
  const durationSec = durationOf(raw, video)
  return {
    demuxer,
    durationSec,
    videoSpanSec: durationSec,
    mediaDurationSec: mediaDurationOf([video, ...audio], durationSec),
    video: videoInfo(video),
    audio: audio.map(audioInfo),
    subtitles: streams.flatMap(s =>
      s.codec_type === 'subtitle' && s.codec_name && textSubtitleCodecs.has(s.codec_name)
        ? [{ index: s.index, language: s.tags?.language ?? null, codec: s.codec_name }]
        : [],
    ),
    startSec: Number(raw.format?.start_time) || 0,
    keyframes: null,
  }
}

// What an ffprobe run may use: memory as configured, time as fixed here (the length of
// the video is not known yet).
function probeLimits(memoryBytes: number, timeSec: number): ChildLimits {
  return { memoryBytes, wallSec: timeSec, cpuSec: timeSec }
}

// The header's JSON is far smaller (64 streams at most); a file that makes ffprobe say
// more, or complain without end, is not kept in the worker's memory.
const headerMaxChars = 4_000_000
const stderrKeepChars = 16_384

async function runFfprobe(options: { ffprobePath: string; args: string[]; limits: ChildLimits; onText?: (text: string) => void }) {
  const run = spawnBounded({ command: [options.ffprobePath, '-v', 'error', '-hide_banner', ...options.args], limits: options.limits })
  let stdout = ''
  let stderr = ''
  const collect = (text: string) => {
    stdout += text
    if (stdout.length > headerMaxChars) run.kill()
  }
  const [exitCode] = await Promise.all([
    run.child.exited,
    readText(run.child.stdout, options.onText ?? collect),
    readText(run.child.stderr, text => {
      stderr = (stderr + text).slice(-stderrKeepChars)
    }),
  ])
  return { exitCode, stdout, stderr, limitHit: run.limitHit() }
}

// A limit hit while probing is the file's doing; other failures mean ffmpeg cannot read it.
function rejectionOfFailedProbe(result: { stderr: string; limitHit: LimitHit | null }, limits: ChildLimits) {
  if (result.limitHit === 'memory') return rejectionForLimit('memory', limits)
  if (result.limitHit) return new MediaRejected('scan_too_slow', { limit: formatDuration(limits.wallSec) })
  // libavformat's own words when -max_streams stops the demuxer.
  if (/exceeds max_streams/.test(result.stderr)) return new MediaRejected('too_many_streams', { max: maxStreams })
  return new MediaRejected('not_a_video')
}

async function readHeader(options: ProbeOptions): Promise<RawProbe> {
  const runLimits = probeLimits(options.limits.memoryBytes, limits.probeTimeSec)
  const result = await runFfprobe({
    ffprobePath: options.ffprobePath,
    args: ['-of', 'json', '-show_format', '-show_streams', ...safeInputArgs(options.path)],
    limits: runLimits,
  })
  if (result.exitCode !== 0 || result.limitHit) {
    const rejection = rejectionOfFailedProbe(result, runLimits)
    rejection.stderrTail = result.stderr.slice(-4096)
    throw rejection
  }
  try {
    return JSON.parse(result.stdout)
  } catch {
    throw new MediaRejected('not_a_video')
  }
}

// The packet scan's time budget: reading every packet goes at least scanBytesPerSec.
export async function scanTimeSec(path: string): Promise<number> {
  return limits.probeTimeSec + Math.ceil((await stat(path)).size / limits.scanBytesPerSec)
}

// Reads the scan's packet lines as they come (both engines' ffprobe feed it) and, at the
// end, judges them: the probe with the video's real span and its keyframes, or a rejection.
export function videoPacketReader(probe: SourceProbe) {
  const cutter = keyframeCutter(probe.startSec)
  const stats = readPacketStats(probe.video.frameRate, cutter.add)
  return {
    feed: stats.feed,
    finish(): SourceProbe {
      const packets = stats.result()
      const videoSpanSec = checkPackets(packets, {
        frameRate: probe.video.frameRate,
        maxSpanSec: limits.maxDurationSec,
        isGapClosed: demuxersClosingGaps.includes(probe.demuxer),
      })
      return { ...probe, videoSpanSec, keyframes: cutter.result(packets, probe.video.frameRate) }
    },
  }
}

// Every packet of the video stream, demuxed and never decoded, summed up as they come:
// a 1.4 GB file takes 0.3–0.5 s from the page cache, and a 10 GB one no more memory.
async function scanVideoPackets(options: ProbeOptions, probe: SourceProbe): Promise<SourceProbe> {
  const runLimits = probeLimits(options.limits.memoryBytes, await scanTimeSec(options.path))
  const reader = videoPacketReader(probe)
  const result = await runFfprobe({
    ffprobePath: options.ffprobePath,
    args: packetScanArgs(safeInputArgs(options.path, probe.demuxer), probe.video.index),
    limits: runLimits,
    onText: reader.feed,
  })
  if (result.exitCode !== 0 || result.limitHit) {
    const rejection = rejectionOfFailedProbe(result, runLimits)
    rejection.stderrTail = result.stderr.slice(-4096)
    throw rejection
  }
  return reader.finish()
}

export type ProbeOptions = { ffprobePath: string; path: string; limits: TranscodeLimits }

export async function probeSource(input: Omit<ProbeOptions, 'limits'> & { limits?: TranscodeLimits }): Promise<SourceProbe> {
  const options = { ...input, limits: input.limits ?? defaultTranscodeLimits }
  await sniffSource(options.path)
  return scanVideoPackets(options, checkProbe(await readHeader(options)))
}
