// The plan of an attempt and the figures the master announces for each rung. Pure.
import type { AudioTrack, Rendition, SourceInfo } from '../db/schema'
import {
  audioBitrateKbpsOf,
  firstSegmentSec,
  outputFrameRate,
  planAudioRenditions,
  planSubtitleTracks,
  planVideoRungs,
  segmentSec,
  type VideoRung,
} from './ladder'
import { averageBitrate, peakBitrate, targetDurationOf } from '../hls/playlists'
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

export function planTranscode(sourcePath: string, probe: SourceProbe): TranscodePlan {
  return {
    sourcePath,
    demuxer: probe.demuxer,
    durationSec: probe.durationSec,
    videoIndex: probe.video.index,
    isInterlaced: probe.video.isInterlaced,
    frameRate: outputFrameRate(probe.video.frameRate),
    rungs: planVideoRungs({ width: probe.video.displayWidth, height: probe.video.displayHeight }),
    audio: planAudioRenditions(probe.audio),
    subtitles: planSubtitleTracks(probe.subtitles),
  }
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
export function cappedRendition(rung: VideoRung, plan: TranscodePlan, codecs: string): Rendition {
  // A player plays the rung with one audio rendition at a time: the largest counts.
  const audioBps = Math.max(0, ...plan.audio.map(track => audioBitrateKbpsOf(track) * 1000))
  const vbvPeakBps = rung.maxrateKbps * 1000 + (rung.bufsizeKbps * 1000) / firstSegmentSec
  const audioPeakBps = audioBps > 0 ? mpegtsBps(audioBps * audioRateSlack, aacFramesPerSec) : 0
  return {
    name: rung.name,
    width: rung.width,
    height: rung.height,
    bandwidth: Math.ceil(mpegtsBps(vbvPeakBps, plan.frameRate) + audioPeakBps),
    averageBandwidth: Math.ceil(rung.maxrateKbps * 1000 + audioBps),
    frameRate: plan.frameRate,
    codecs,
  }
}

// After the encode: the real peak and average of the rung's segments, plus the audio's
// (the largest of each: a player plays the rung with one audio rendition at a time).
export function measuredRendition(base: Rendition, output: RenditionOutput, audio: RenditionOutput[]): Rendition {
  const peakOf = (o: RenditionOutput) =>
    peakBitrate(o.segments, { targetDurationSec: targetDurationOf(o.segments, segmentSec), shortestSegmentSec: firstSegmentSec })
  const audioPeak = Math.max(0, ...audio.map(peakOf))
  const audioAverage = Math.max(0, ...audio.map(o => averageBitrate(o.segments)))
  return {
    ...base,
    bandwidth: peakOf(output) + audioPeak,
    averageBandwidth: averageBitrate(output.segments) + audioAverage,
  }
}
