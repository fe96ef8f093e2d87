// m3u8 text in and out (RFC 8216, shared/hls-layout.md). Pure: no files, no clock.

export type SegmentEntry = { uri: string; durationSec: number }
export type MeasuredSegment = SegmentEntry & { sizeBytes: number }

export const hlsVersion = 3
export const audioCodec = 'mp4a.40.2'
export const audioGroupId = 'aud'
export const subtitleGroupId = 'subs'

// ffmpeg's MPEG-TS muxer shifts every timestamp by twice its 0.7 s mux delay. Stating it in
// each WebVTT file (X-TIMESTAMP-MAP) puts subtitle time 0 where the video starts.
export const mpegtsOriginPts = 126000

// What ffmpeg's own playlist says: its segments in order, and whether it is finished.
export function parseMediaPlaylist(text: string): { segments: SegmentEntry[]; isEnded: boolean } {
  const segments: SegmentEntry[] = []
  let pendingDuration: number | null = null
  let isEnded = false
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim()
    if (line.startsWith('#EXTINF:')) pendingDuration = Number.parseFloat(line.slice('#EXTINF:'.length))
    else if (line === '#EXT-X-ENDLIST') isEnded = true
    else if (line && !line.startsWith('#') && pendingDuration !== null) {
      segments.push({ uri: line, durationSec: pendingDuration })
      pendingDuration = null
    }
  }
  return { segments, isEnded }
}

// EXTINF rounded to the nearest integer must not exceed the target (RFC 8216 4.3.3.1).
// Segments are cut at instants planned before the first one (`segmentSec` is the plan's
// target: 6 s, or the longest segment a copied rung's keyframes allow), so the target stays
// put while an EVENT grows.
export function targetDurationOf(segments: SegmentEntry[], segmentSec: number): number {
  return Math.max(segmentSec, ...segments.map(segment => Math.round(segment.durationSec)))
}

export function renderMediaPlaylist(options: { segments: SegmentEntry[]; segmentSec: number; isFinished: boolean }): string {
  const lines = [
    '#EXTM3U',
    `#EXT-X-VERSION:${hlsVersion}`,
    `#EXT-X-TARGETDURATION:${targetDurationOf(options.segments, options.segmentSec)}`,
    '#EXT-X-MEDIA-SEQUENCE:0',
    `#EXT-X-PLAYLIST-TYPE:${options.isFinished ? 'VOD' : 'EVENT'}`,
    '#EXT-X-INDEPENDENT-SEGMENTS',
  ]
  for (const segment of options.segments) lines.push(`#EXTINF:${segment.durationSec.toFixed(6)},`, segment.uri)
  if (options.isFinished) lines.push('#EXT-X-ENDLIST')
  return `${lines.join('\n')}\n`
}

// A subtitle track is one WebVTT file spanning the whole video.
export function renderSubtitlePlaylist(options: { uri: string; durationSec: number }): string {
  const durationSec = Math.max(options.durationSec, 0.001)
  return [
    '#EXTM3U',
    `#EXT-X-VERSION:${hlsVersion}`,
    `#EXT-X-TARGETDURATION:${Math.max(1, Math.ceil(durationSec))}`,
    '#EXT-X-MEDIA-SEQUENCE:0',
    '#EXT-X-PLAYLIST-TYPE:VOD',
    `#EXTINF:${durationSec.toFixed(6)},`,
    options.uri,
    '#EXT-X-ENDLIST',
    '',
  ].join('\n')
}

const totalOf = (segments: MeasuredSegment[]) => ({
  bits: segments.reduce((sum, s) => sum + s.sizeBytes * 8, 0),
  seconds: segments.reduce((sum, s) => sum + s.durationSec, 0),
})

const rateOf = (segments: MeasuredSegment[]) => {
  const { bits, seconds } = totalOf(segments)
  return seconds > 0 ? bits / seconds : 0
}

// The peak segment bit rate (RFC 8216 4.3.4.2): the highest rate of any single segment,
// and of any run of consecutive segments lasting 0.5 to 1.5 target durations (8216bis).
// The short first segment counts alone: starting on a keyframe while the encoder's buffer
// is full, it is often the densest of all, and a player fetches it alone. Only a last
// segment shorter than `shortestSegmentSec` (the shortest one planned) counts within runs
// only: a 0.1 s tail holding one keyframe would read as 20 Mbit/s and scare players off.
export function peakBitrate(segments: MeasuredSegment[], options: { targetDurationSec: number; shortestSegmentSec: number }): number {
  const { targetDurationSec, shortestSegmentSec } = options
  let peak = 0
  for (let start = 0; start < segments.length; start++) {
    const isShortTail = start === segments.length - 1 && segments[start].durationSec < shortestSegmentSec
    if (!isShortTail) peak = Math.max(peak, rateOf([segments[start]]))
    for (let end = start + 1; end < segments.length; end++) {
      const run = segments.slice(start, end + 1)
      const { seconds } = totalOf(run)
      if (seconds > 1.5 * targetDurationSec) break
      if (seconds >= 0.5 * targetDurationSec) peak = Math.max(peak, rateOf(run))
    }
  }
  // Only a short tail: the whole video is the only measure there is.
  return peak === 0 ? averageBitrate(segments) : Math.ceil(peak)
}

export function averageBitrate(segments: MeasuredSegment[]): number {
  return Math.ceil(rateOf(segments))
}

export type VariantEntry = {
  uri: string
  bandwidth: number
  averageBandwidth: number
  width: number
  height: number
  frameRate: number
  videoCodec: string
}
export type AudioEntry = { lang: string; name: string; uri: string; channels?: number }
export type SubtitleEntry = { lang: string; name: string; uri: string }

function quoted(value: string): string {
  // Quoted-strings cannot hold a double quote or a line break (RFC 8216 4.2).
  return `"${value.replace(/["\r\n]/g, "'")}"`
}

function audioLine(track: AudioEntry, index: number): string {
  const isDefault = index === 0 ? 'YES' : 'NO'
  return (
    `#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="${audioGroupId}",LANGUAGE=${quoted(track.lang)},NAME=${quoted(track.name)},` +
    `DEFAULT=${isDefault},AUTOSELECT=YES,CHANNELS="${track.channels ?? 2}",URI=${quoted(track.uri)}`
  )
}

function subtitleLine(track: SubtitleEntry): string {
  return (
    `#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="${subtitleGroupId}",LANGUAGE=${quoted(track.lang)},NAME=${quoted(track.name)},` +
    `DEFAULT=NO,AUTOSELECT=YES,FORCED=NO,URI=${quoted(track.uri)}`
  )
}

function variantLine(variant: VariantEntry, options: { hasAudio: boolean; hasSubtitles: boolean }): string {
  const codecs = options.hasAudio ? `${variant.videoCodec},${audioCodec}` : variant.videoCodec
  const attributes = [
    `BANDWIDTH=${Math.ceil(variant.bandwidth)}`,
    `AVERAGE-BANDWIDTH=${Math.ceil(variant.averageBandwidth)}`,
    `RESOLUTION=${variant.width}x${variant.height}`,
    `FRAME-RATE=${variant.frameRate.toFixed(3)}`,
    `CODECS="${codecs}"`,
  ]
  if (options.hasAudio) attributes.push(`AUDIO="${audioGroupId}"`)
  if (options.hasSubtitles) attributes.push(`SUBTITLES="${subtitleGroupId}"`)
  return `#EXT-X-STREAM-INF:${attributes.join(',')}`
}

export function renderMasterPlaylist(options: { variants: VariantEntry[]; audio: AudioEntry[]; subtitles: SubtitleEntry[] }): string {
  const hasAudio = options.audio.length > 0
  const hasSubtitles = options.subtitles.length > 0
  const lines = ['#EXTM3U', `#EXT-X-VERSION:${hlsVersion}`, '#EXT-X-INDEPENDENT-SEGMENTS', '']
  for (const [i, track] of options.audio.entries()) lines.push(audioLine(track, i))
  for (const track of options.subtitles) lines.push(subtitleLine(track))
  if (hasAudio || hasSubtitles) lines.push('')
  for (const variant of options.variants) lines.push(variantLine(variant, { hasAudio, hasSubtitles }), variant.uri)
  return `${lines.join('\n')}\n`
}

// `KEY=VALUE,KEY="quoted, value"` (RFC 8216 4.2) → { KEY: 'VALUE', ... } with quotes removed.
export function parseAttributeList(text: string): Record<string, string> {
  const attributes: Record<string, string> = {}
  const pattern = /([A-Z0-9-]+)=("[^"]*"|[^,]*)(?:,|$)/g
  for (const match of text.matchAll(pattern)) attributes[match[1]] = match[2].replace(/^"|"$/g, '')
  return attributes
}
