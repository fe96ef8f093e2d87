// The plan of an attempt and the figures the master announces for each rung. Pure.
import type { AudioTrack, Rendition, SourceInfo } from '../db/schema'
import {
  type AudioRendition,
  audioBitrateKbpsOf,
  firstSegmentSec,
  outputFrameRate,
  planAudioRenditions,
  planSubtitleTracks,
  planVideoRungs,
  segmentCuts,
  segmentSec,
  type VideoRung,
} from './ladder'
import { averageBitrate, type MeasuredSegment, peakBitrate, targetDurationOf } from '../hls/playlists'
import { type CopyDecision, isAudioCopyable, type TopRungCopy, topRungCopyPlan } from './copy'
import type { SourceProbe } from './probe'
import type { TranscodePlan } from './args'
import type { RenditionOutput } from './outputs'

// MPEG-TS around a stream of `payloadBps`: 4 bytes of header in every 188-byte packet; per
// PES packet (a video frame; at most an audio frame) its header and an adaptation field
// with the PCR (under 32 bytes) and a part-filled last packet (under 188); and the tables
// (PAT and PMT ten times a second, SDT twice, all again at each segment start): at most 25
// packets a second.
const tsPacketBytes = 188
const pesOverheadBytes = tsPacketBytes + 32
const tablePacketsPerSec = 25

function mpegtsBps(payloadBps: number, pesPerSec: number): number {
  const payloadWithPesBps = payloadBps + pesPerSec * pesOverheadBytes * 8
  return (payloadWithPesBps * tsPacketBytes) / (tsPacketBytes - 4) + tablePacketsPerSec * tsPacketBytes * 8
}

// ffmpeg's AAC encoder holds its average bit rate; a segment is taken to stay within a
// tenth above it (AAC has no hard cap short of ~6 kbit per channel per frame).
const audioRateSlack = 1.1
const aacFramesPerSec = 48000 / 1024

// A copied AAC track whose header states no bit rate: taken as high as stereo AAC-LC goes
// in practice, so that the master announces no less than it will measure.
const unknownCopiedAudioKbps = 320

function withAudioCopy(track: AudioRendition, probe: SourceProbe): AudioRendition {
  const stream = probe.audio.find(s => s.index === track.sourceIndex)
  if (track.channels || !stream || !isAudioCopyable(stream)) return track
  const bitrateKbps = stream.bitrateBps ? Math.ceil(stream.bitrateBps / 1000) : unknownCopiedAudioKbps
  return { ...track, copy: { bitrateKbps } }
}

// `noCopy`: the reason the top rung is encoded whatever the source (a WasmLadder without `copy`).
export function planTranscode(sourcePath: string, probe: SourceProbe, options: { noCopy?: string } = {}): TranscodePlan {
  const topRung: CopyDecision = options.noCopy ? { kind: 'encode', reason: options.noCopy } : topRungCopyPlan(probe)
  const copy = topRung.kind === 'copy' ? topRung.copy : null
  return {
    sourcePath,
    demuxer: probe.demuxer,
    durationSec: probe.durationSec,
    videoIndex: probe.video.index,
    isInterlaced: probe.video.isInterlaced,
    frameRate: outputFrameRate(probe.video.frameRate),
    rungs: planVideoRungs({ width: probe.video.displayWidth, height: probe.video.displayHeight }),
    audio: planAudioRenditions(probe.audio).map(track => withAudioCopy(track, probe)),
    subtitles: planSubtitleTracks(probe.subtitles),
    topRung,
    // Every rendition is cut at the same instants: at the copied rung's keyframes, or at
    // the planned marks where the encoder puts them.
    cutsSec: copy ? copy.cutsSec : segmentCuts(probe.durationSec),
    targetDurationSec: copy ? copy.targetDurationSec : segmentSec,
  }
}

// The copied rung's segments as planned, with the MPEG-TS around their payload.
function copiedSegments(copy: TopRungCopy): MeasuredSegment[] {
  return copy.segments
    .filter(segment => segment.durationSec > 0)
    .map((segment, i) => {
      const { durationSec } = segment
      const bps = mpegtsBps((segment.payloadBytes * 8) / durationSec, segment.packets / durationSec)
      return { uri: String(i), durationSec, sizeBytes: Math.ceil((bps * durationSec) / 8) }
    })
}

export function sourceInfoOf(probe: SourceProbe): SourceInfo {
  return {
    width: probe.video.width,
    height: probe.video.height,
    videoCodec: probe.video.codec,
    audioTracks: probe.audio.length,
    frameRate: Math.round(probe.video.frameRate * 1000) / 1000,
  }
}

export function audioTracksOf(plan: TranscodePlan): AudioTrack[] {
  return plan.audio.map(track => ({
    lang: track.lang,
    name: track.name,
    key: track.key,
    ...(track.channels ? { channels: track.channels } : {}),
  }))
}

// Before anything is measured, the master announces what the encoder cannot exceed. x264's
// VBV (maxrate/bufsize) lets no stretch of `d` seconds hold more than bufsize + maxrate × d
// bits; the shortest segment planned (the first) is the densest a segment can be.
// A copied top rung has no cap: its segments' sizes are known from the packet scan instead.
export function cappedRendition(rung: VideoRung, plan: TranscodePlan, codecs: string): Rendition {
  // A player plays the rung with one audio rendition at a time: the largest counts.
  const audioBps = Math.max(0, ...plan.audio.map(track => audioBitrateKbpsOf(track) * 1000))
  const audioPeakBps = audioBps > 0 ? mpegtsBps(audioBps * audioRateSlack, aacFramesPerSec) : 0
  const copied = rung === plan.rungs[0] && plan.topRung.kind === 'copy' ? copiedSegments(plan.topRung.copy) : null
  const vbvPeakBps = rung.maxrateKbps * 1000 + (rung.bufsizeKbps * 1000) / firstSegmentSec
  const videoPeakBps = copied
    ? peakBitrate(copied, { targetDurationSec: plan.targetDurationSec, shortestSegmentSec: firstSegmentSec })
    : mpegtsBps(vbvPeakBps, plan.frameRate)
  const videoAverageBps = copied ? averageBitrate(copied) : rung.maxrateKbps * 1000
  return {
    name: rung.name,
    width: rung.width,
    height: rung.height,
    bandwidth: Math.ceil(videoPeakBps + audioPeakBps),
    averageBandwidth: Math.ceil(videoAverageBps + audioBps),
    frameRate: plan.frameRate,
    codecs,
  }
}

// After the encode: the real peak and average of the rung's segments, plus the audio's
// (the largest of each: a player plays the rung with one audio rendition at a time).
export function measuredRendition(base: Rendition, output: RenditionOutput, audio: RenditionOutput[]): Rendition {
  const peakOf = (o: RenditionOutput) =>
    peakBitrate(o.segments, {
      targetDurationSec: targetDurationOf(o.segments, o.targetDurationSec),
      shortestSegmentSec: firstSegmentSec,
    })
  const audioPeak = Math.max(0, ...audio.map(peakOf))
  const audioAverage = Math.max(0, ...audio.map(o => averageBitrate(o.segments)))
  return {
    ...base,
    bandwidth: peakOf(output) + audioPeak,
    averageBandwidth: averageBitrate(output.segments) + audioAverage,
  }
}
