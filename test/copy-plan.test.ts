// When is the top rung a copy of the source's video (src/transcoding/copy.ts)? Unit tests
// of the rules over probes as ffprobe describes them and packet lines as the scan reads them.
import { describe, expect, test } from 'bun:test'
import { topRungCopyPlan } from '../src/transcoding/copy'
import { planTranscode } from '../src/transcoding/plan'
import type { SourceProbe } from '../src/transcoding/probe'
import { every, sourceOf, type VideoOptions } from './helpers/scanned-probe'

const reasonOf = (probe: SourceProbe) => {
  const decision = topRungCopyPlan(probe)
  return decision.kind === 'encode' ? decision.reason : 'copy'
}
const cutsOf = (probe: SourceProbe) => {
  const decision = topRungCopyPlan(probe)
  if (decision.kind !== 'copy') throw new Error(decision.reason)
  return decision.copy.cutsSec
}

describe('which sources are copied', () => {
  test('H.264 8-bit 4:2:0 progressive at the top rung size with keyframes every 2 s is copied', () => {
    expect(reasonOf(sourceOf({ durationSec: 20, keyframesSec: every(2, 20) }))).toBe('copy')
  })

  test('anything else in the picture is encoded, each with its reason', () => {
    const reason = (video: Partial<VideoOptions>) => reasonOf(sourceOf({ durationSec: 20, keyframesSec: every(2, 20), video }))
    expect(reason({ codec: 'hevc' })).toBe('the video is hevc, not H.264')
    expect(reason({ pixFmt: 'yuv420p10le' })).toBe('its pixels are yuv420p10le, not 8-bit 4:2:0')
    expect(reason({ pixFmt: 'yuv422p' })).toBe('its pixels are yuv422p, not 8-bit 4:2:0')
    expect(reason({ fieldOrder: 'tt' })).toBe('the video is interlaced')
    expect(reason({ width: 1440, sar: '4:3' })).toBe('the picture is 1440x1080 shown as 1920x1080 (non-square pixels or turned)')
    expect(reason({ width: 1600, height: 900 })).toBe("the picture is 1600x900, not the top rung's 1280x720")
    expect(reason({ fps: 60 })).toBe('60.0 fps is over 30 fps')
    expect(reason({ rotation: 90 })).toBe('the picture is 1920x1080 shown as 1080x1920 (non-square pixels or turned)')
    // Upside down is shown at the same size, but a copy into MPEG-TS would lose the turn.
    expect(reason({ rotation: 180 })).toBe('the picture is shown turned by 180°')
    // Full-range 4:2:0, as phones write it, is 8-bit 4:2:0 too.
    expect(reason({ pixFmt: 'yuvj420p' })).toBe('copy')
  })

  test('keyframes too far apart for ~6 s segments, or a bit rate over twice the cap, are encoded', () => {
    // A GOP of 12 s makes a segment of 12 s.
    expect(reasonOf(sourceOf({ durationSec: 30, keyframesSec: every(12, 30) }))).toBe(
      'its keyframes are too far apart: a segment would last 12.0 s (at most 10 s)',
    )
    // 8 s apart still cuts segments of at most 10 s: 8, 8, 8, 6.
    expect(reasonOf(sourceOf({ durationSec: 30, keyframesSec: every(8, 30) }))).toBe('copy')
    // 1080p's cap is 6000 kbit/s: 50 kB a frame at 30 fps is 12 000 kbit/s, 51 kB over it.
    expect(reasonOf(sourceOf({ durationSec: 20, keyframesSec: every(2, 20), frameBytes: 50_000 }))).toBe('copy')
    expect(reasonOf(sourceOf({ durationSec: 20, keyframesSec: every(2, 20), frameBytes: 51_000 }))).toBe(
      "its bit rate, 12240 kbit/s, is over 2× the rung's cap of 6000 kbit/s",
    )
    expect(reasonOf(sourceOf({ durationSec: 20, keyframesSec: every(2, 20).slice(1) }))).toBe('the video does not start with a keyframe')
  })

  test('without a packet scan (the header alone) nothing is copied', () => {
    const probe = sourceOf({ durationSec: 20, keyframesSec: every(2, 20) })
    expect(reasonOf({ ...probe, keyframes: null })).toBe('its keyframes were not read')
  })
})

describe('where a copied rung is cut', () => {
  const halfFrameSec = 0.5 / 30
  const atKeyframes = (cuts: number[]) => cuts.map(sec => Math.round((sec + halfFrameSec) * 1000) / 1000)

  test('at the first keyframe at or after 2 s, then after each 6 s mark, half a frame early', () => {
    expect(atKeyframes(cutsOf(sourceOf({ durationSec: 30, keyframesSec: every(4, 30) })))).toEqual([4, 8, 12, 20, 24])
    expect(atKeyframes(cutsOf(sourceOf({ durationSec: 20, keyframesSec: every(2, 20) })))).toEqual([2, 6, 12, 18])
  })

  test('the short first segment goes when no keyframe comes before 6 s', () => {
    expect(atKeyframes(cutsOf(sourceOf({ durationSec: 30, keyframesSec: every(7, 30) })))).toEqual([7, 14, 21, 28])
  })

  test("times are on the output's clock: a source starting at 10 s is cut 2 s after its start", () => {
    expect(atKeyframes(cutsOf(sourceOf({ durationSec: 20, startSec: 10, keyframesSec: every(2, 20) })))).toEqual([2, 6, 12, 18])
  })

  test('the plan cuts every rendition there, with a target duration that fits the longest segment', () => {
    const probe = sourceOf({ durationSec: 30, keyframesSec: every(8, 30), audio: { codec: 'aac', profile: 'LC', channels: 2 } })
    const plan = planTranscode('/tmp/source.mkv', probe)
    expect(plan.cutsSec).toEqual(cutsOf(probe))
    expect(plan.targetDurationSec).toBe(8)
    expect(plan.audio[0].copy).toBeDefined()
  })
})

describe('audio', () => {
  test('AAC-LC stereo is copied; mono, 5.1, HE-AAC and other codecs are encoded', () => {
    const audioPlan = (audio: { codec: string; profile: string; channels: number }) =>
      planTranscode('/tmp/source.mkv', sourceOf({ durationSec: 10, keyframesSec: every(2, 10), audio })).audio.map(track =>
        track.copy ? `${track.key} copied` : `${track.key} encoded`,
      )
    expect(audioPlan({ codec: 'aac', profile: 'LC', channels: 2 })).toEqual(['und copied'])
    expect(audioPlan({ codec: 'aac', profile: 'LC', channels: 1 })).toEqual(['und encoded'])
    expect(audioPlan({ codec: 'aac', profile: 'HE-AAC', channels: 2 })).toEqual(['und encoded'])
    expect(audioPlan({ codec: 'mp3', profile: '', channels: 2 })).toEqual(['und encoded'])
    expect(audioPlan({ codec: 'aac', profile: 'LC', channels: 6 })).toEqual(['und encoded', 'und-51 encoded'])
  })
})
