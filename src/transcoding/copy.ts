// The top rung as the source's own video, copied (shared/hls-layout.md, issue 13). Most
// uploads from phones, cameras and the web are H.264 that already fits the top rung:
// re-encoding it would cost most of the job and some of the picture. Whether it fits is
// decided here from the probe alone — the header, and the keyframes the packet scan met
// (flags of demuxed packets, nothing decoded) — so the rules are unit-tested. Both engines
// (native, and WebAssembly's reduced ladder) decide with it. Pure.
import { firstSegmentSec, outputFrameRate, planVideoRungs, segmentSec, type VideoRung } from './ladder'
import type { KeyframeSeen, PacketStats } from './packets'
import type { AudioStreamInfo, SourceProbe } from './probe'

export const copyRules = {
  codec: 'h264',
  // 8-bit 4:2:0 (the `j` one is full range, as many phones write it).
  pixelFormats: ['yuv420p', 'yuvj420p'],
  // Segments are cut at the first keyframe after each ~6 s mark: the source's keyframes
  // must allow no segment longer than this (it becomes EXT-X-TARGETDURATION).
  maxSegmentSec: 10,
  // Two cuts closer than this (a keyframe just before a mark, another just after) are one.
  minSegmentSec: 1,
  // The source's bit rate (declared or measured, the larger) may be this many times the rung's cap.
  maxBitrateShare: 2,
  // A jump in the video's timestamps (a joined broadcast recording) would put the copied
  // rung's cuts elsewhere than the encoded rungs' ones.
  maxTimestampGapSec: 1,
  // Cuts kept while scanning: those of a 24-hour film, the longest probe.ts lets through. A
  // file claiming more (a keyframe every 6 s for years) is refused as too long after the scan,
  // and meanwhile cannot fill the worker's memory with cuts.
  maxCuts: Math.ceil((24 * 3600) / segmentSec) + 2,
}

// A cut where a keyframe was met: its time on the output's clock (0 = the source's start),
// and the bytes and packets of the video before it.
export type KeyframeCut = { atSec: number; bytesBefore: number; packetsBefore: number }

// What the packet scan tells about the video's keyframes, as far as copying it goes.
export type KeyframeIndex = {
  cuts: KeyframeCut[]
  startsWithKeyframe: boolean
  endSec: number
  totalBytes: number
  totalPackets: number
  largestGapSec: number
}

// Where the marks are: 2 s (the short first segment), then every 6 s (ladder.ts).
const nextMarkAfter = (sec: number) => (sec < firstSegmentSec ? firstSegmentSec : (Math.floor(sec / segmentSec) + 1) * segmentSec)
// A keyframe a hair before its mark (timestamps rounded to milliseconds) counts as on it.
const markSlackSec = 0.005

// Picks the cuts while the scan runs (keyframes come in decode order, their times rising):
// the first keyframe at or after each mark. Only the cuts are kept, whatever the file's length.
export function keyframeCutter(originSec: number) {
  const cuts: KeyframeCut[] = []
  let startsWithKeyframe = false
  let markSec = firstSegmentSec
  return {
    add(keyframe: KeyframeSeen) {
      if (keyframe.packetsBefore === 0) startsWithKeyframe = true
      const atSec = keyframe.timeSec - originSec
      const previousSec = cuts.at(-1)?.atSec ?? 0
      if (atSec < markSec - markSlackSec || atSec < previousSec + copyRules.minSegmentSec) return
      if (cuts.length >= copyRules.maxCuts) return
      cuts.push({ atSec, bytesBefore: keyframe.bytesBefore, packetsBefore: keyframe.packetsBefore })
      markSec = nextMarkAfter(atSec + markSlackSec)
    },
    result(stats: PacketStats, frameRate: number): KeyframeIndex {
      return {
        cuts,
        startsWithKeyframe,
        endSec: stats.lastSec - originSec + 1 / (frameRate || 1),
        totalBytes: stats.totalBytes,
        totalPackets: stats.count,
        largestGapSec: stats.largestGapSec,
      }
    },
  }
}

// A segment of the copied rung as planned: how long, and the video payload it holds.
export type PlannedSegment = { durationSec: number; payloadBytes: number; packets: number }

export type TopRungCopy = {
  // The times handed to ffmpeg: segment cuts of every rendition and forced keyframes of
  // the encoded rungs, each half a frame before its keyframe so that the frame on it is taken.
  cutsSec: number[]
  segments: PlannedSegment[]
  targetDurationSec: number
}

export type CopyDecision = { kind: 'copy'; copy: TopRungCopy } | { kind: 'encode'; reason: string }

function plannedSegments(index: KeyframeIndex): PlannedSegment[] {
  const starts = [{ atSec: 0, bytesBefore: 0, packetsBefore: 0 }, ...index.cuts]
  const ends = [...index.cuts, { atSec: index.endSec, bytesBefore: index.totalBytes, packetsBefore: index.totalPackets }]
  return starts.map((start, i) => ({
    durationSec: ends[i].atSec - start.atSec,
    payloadBytes: ends[i].bytesBefore - start.bytesBefore,
    packets: ends[i].packetsBefore - start.packetsBefore,
  }))
}

const oneDecimal = (value: number) => (Math.round(value * 10) / 10).toFixed(1)

// Why the picture is not the top rung's as it is, or null when it is.
function pictureMismatch(probe: SourceProbe, rung: VideoRung): string | null {
  const { video } = probe
  if (video.codec !== copyRules.codec) return `the video is ${video.codec}, not H.264`
  if (!copyRules.pixelFormats.includes(video.pixelFormat ?? ''))
    return `its pixels are ${video.pixelFormat ?? 'unknown'}, not 8-bit 4:2:0`
  if (video.isInterlaced) return 'the video is interlaced'
  if (video.width !== video.displayWidth || video.height !== video.displayHeight)
    return `the picture is ${video.width}x${video.height} shown as ${video.displayWidth}x${video.displayHeight} (non-square pixels or turned)`
  // Upside down (180°): the same size shown, but MPEG-TS has no place for the turn.
  if (video.rotation !== 0) return `the picture is shown turned by ${video.rotation}°`
  if (video.width !== rung.width || video.height !== rung.height)
    return `the picture is ${video.width}x${video.height}, not the top rung's ${rung.width}x${rung.height}`
  if (outputFrameRate(video.frameRate) !== video.frameRate) return `${oneDecimal(video.frameRate)} fps is over 30 fps`
  return null
}

// Why the keyframes or the bit rate do not allow the copy, or null when they do.
function streamMismatch(index: KeyframeIndex, segments: PlannedSegment[], probe: SourceProbe, rung: VideoRung): string | null {
  if (!index.startsWithKeyframe) return 'the video does not start with a keyframe'
  if (index.largestGapSec > copyRules.maxTimestampGapSec) return `its timestamps jump by ${oneDecimal(index.largestGapSec)} s`
  const longestSec = Math.max(...segments.map(segment => segment.durationSec))
  if (longestSec > copyRules.maxSegmentSec)
    return `its keyframes are too far apart: a segment would last ${oneDecimal(longestSec)} s (at most ${copyRules.maxSegmentSec} s)`
  const measuredBps = (index.totalBytes * 8) / Math.max(index.endSec, 0.001)
  const bitrateKbps = Math.round(Math.max(measuredBps, probe.video.bitrateBps ?? 0) / 1000)
  const capKbps = rung.maxrateKbps * copyRules.maxBitrateShare
  if (bitrateKbps > capKbps)
    return `its bit rate, ${bitrateKbps} kbit/s, is over ${copyRules.maxBitrateShare}× the rung's cap of ${rung.maxrateKbps} kbit/s`
  return null
}

// The copy plan of the top rung, or the reason the source's video must be encoded. The
// reason is an English sentence for the worker's log ("top rung encoded: <reason>").
export function topRungCopyPlan(probe: SourceProbe): CopyDecision {
  const [rung] = planVideoRungs({ width: probe.video.displayWidth, height: probe.video.displayHeight })
  const pictureReason = pictureMismatch(probe, rung)
  if (pictureReason) return { kind: 'encode', reason: pictureReason }
  const index = probe.keyframes
  if (!index) return { kind: 'encode', reason: 'its keyframes were not read' }
  const segments = plannedSegments(index)
  const streamReason = streamMismatch(index, segments, probe, rung)
  if (streamReason) return { kind: 'encode', reason: streamReason }
  const leadSec = 0.5 / probe.video.frameRate
  const copy = {
    cutsSec: index.cuts.map(cut => Math.round((cut.atSec - leadSec) * 1000) / 1000),
    segments,
    targetDurationSec: Math.max(segmentSec, ...segments.map(segment => Math.round(segment.durationSec))),
  }
  return { kind: 'copy', copy }
}

// AAC-LC stereo is copied as it is; everything else is encoded to it.
export function isAudioCopyable(stream: AudioStreamInfo): boolean {
  return stream.codec === 'aac' && stream.profile === 'LC' && stream.channels === 2
}
