// The plan of an attempt and the figures the master announces for each rung. Pure.
import type { AudioTrack, Rendition, SourceInfo } from '../../db/schema'
import {
  audioBitrateKbps,
  outputFrameRate,
  planAudioRenditions,
  planSubtitleTracks,
  planVideoRungs,
  segmentSec,
  type VideoRung,
} from '../ladder'
import { averageBitrate, peakBitrate, targetDurationOf } from '../playlists'
import type { SourceProbe } from '../probe'
import type { TranscodePlan } from './args'
import type { RenditionOutput } from './outputs'

// A segment may exceed its cap by the VBV buffer spread over the segment; MPEG-TS adds ~5%
// to video, more to audio (small packets).
const videoMuxOverhead = 1.05
const audioMuxOverhead = 1.15

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
  return plan.audio.map((track) => ({ lang: track.lang, name: track.name, key: track.key }))
}

// Before anything is measured, the master announces what the caps allow.
export function cappedRendition(rung: VideoRung, plan: TranscodePlan, codecs: string): Rendition {
  const audioBps = plan.audio.length > 0 ? audioBitrateKbps * 1000 : 0
  const vbvPeakBps = rung.maxrateKbps * 1000 + (rung.bufsizeKbps * 1000) / segmentSec
  return {
    name: rung.name,
    width: rung.width,
    height: rung.height,
    bandwidth: Math.ceil(vbvPeakBps * videoMuxOverhead + audioBps * audioMuxOverhead),
    averageBandwidth: Math.ceil(rung.maxrateKbps * 1000 + audioBps),
    frameRate: plan.frameRate,
    codecs,
  }
}

// After the encode: the real peak and average of the rung's segments, plus the audio's.
export function measuredRendition(base: Rendition, output: RenditionOutput, audio: RenditionOutput[]): Rendition {
  const peakOf = (o: RenditionOutput) => peakBitrate(o.segments, targetDurationOf(o.segments, segmentSec))
  const audioPeak = Math.max(0, ...audio.map(peakOf))
  const audioAverage = Math.max(0, ...audio.map((o) => averageBitrate(o.segments)))
  return {
    ...base,
    bandwidth: peakOf(output) + audioPeak,
    averageBandwidth: averageBitrate(output.segments) + audioAverage,
  }
}
