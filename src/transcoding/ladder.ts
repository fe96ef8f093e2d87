// What a source becomes (shared/hls-layout.md): the video rungs, the audio renditions and
// the subtitle tracks. Pure functions of the probe, so every rule here is unit-tested.
import { languageName, normalizeLanguage } from '../hls/languages'

export const segmentSec = 6
// The first segment is short: a film being transcoded can be watched once every rung and
// audio rendition has its first segment, and 2 s of a slow encode come ~4 s before 6 s do.
export const firstSegmentSec = 2
export const audioBitrateKbps = 128
export const maxFrameRate = 30

// Rungs are boxes (hls-layout.md): 1080 = 1920×1080, 720 = 1280×720, 480 = 854×480,
// 360 = 640×360, turned upright for a portrait source. The cap and the profile belong to
// the box, whatever the shape of the picture inside it.
type RungBox = { name: string; width: number; height: number; maxrateKbps: number }
export const rungBoxes: readonly RungBox[] = [
  { name: '1080p', width: 1920, height: 1080, maxrateKbps: 6000 },
  { name: '720p', width: 1280, height: 720, maxrateKbps: 3000 },
  { name: '480p', width: 854, height: 480, maxrateKbps: 1500 },
  { name: '360p', width: 640, height: 360, maxrateKbps: 800 },
]

export type H264Profile = 'high' | 'main'

export type VideoRung = {
  name: string
  width: number
  height: number
  maxrateKbps: number
  bufsizeKbps: number
  profile: H264Profile
}

type PictureSize = { width: number; height: number }

const even = (value: number) => Math.max(2, Math.round(value / 2) * 2)

// The cap shrinks with the picture: a 1920×804 rung needs less than a 1920×1080 one.
function rungFor(box: RungBox, size: PictureSize, isHighProfile: boolean): VideoRung {
  const areaShare = Math.min(1, (size.width * size.height) / (box.width * box.height))
  const maxrateKbps = Math.max(200, Math.round(box.maxrateKbps * areaShare))
  return { name: box.name, ...size, maxrateKbps, bufsizeKbps: 2 * maxrateKbps, profile: isHighProfile ? 'high' : 'main' }
}

// A picture taller than wide (a phone held upright) gets its boxes upright: 1080×1920 … 360×640.
function boxFacing(box: RungBox, display: PictureSize): RungBox {
  return display.height > display.width ? { ...box, width: box.height, height: box.width } : box
}

// The largest picture of the display's aspect ratio inside the box, both sides even. The
// side that fills the box is the box's own (even) side; the other, rounded to even, stays
// within the box's (even) side.
function fitInBox(display: PictureSize, box: PictureSize): PictureSize {
  const scale = Math.min(box.width / display.width, box.height / display.height)
  return { width: Math.min(box.width, even(display.width * scale)), height: Math.min(box.height, even(display.height * scale)) }
}

// "The source is at least that large": its display picture fills the box in one dimension
// at least (as wide as the box, or as tall). Then the rung's picture is nowhere larger than
// the source's, so reaching the box never upscales; a 1600×900 source stops at 720.
function fillsBox(display: PictureSize, box: PictureSize): boolean {
  return display.width >= box.width || display.height >= box.height
}

// Highest rung first (it becomes stream_0). `display` is the picture as shown (sample
// aspect ratio and rotation applied): rungs have square pixels at that aspect ratio.
export function planVideoRungs(display: PictureSize): VideoRung[] {
  const reached = rungBoxes.map(box => boxFacing(box, display)).filter(box => fillsBox(display, box))
  if (reached.length === 0) {
    // Smaller than the smallest box: one rung at the source's own size, named by its short side.
    const size = { width: even(display.width), height: even(display.height) }
    const smallest = boxFacing(rungBoxes[rungBoxes.length - 1], display)
    return [rungFor({ ...smallest, name: `${Math.min(size.width, size.height)}p` }, size, false)]
  }
  // High profile from the 720 box up: the box, not the picture's height, decides.
  return reached.map(box => rungFor(box, fitInBox(display, box), Math.min(box.width, box.height) >= 720))
}

// At most 30 fps: higher rates are halved (60 → 30, 59.94 → 29.97, 50 → 25, 120 → 30).
export function outputFrameRate(sourceFps: number): number {
  let fps = sourceFps
  while (fps > maxFrameRate + 0.01) fps /= 2
  return fps
}

// Keyframes every `segmentSec` at the same instants in every rung.
export function gopFrames(fps: number): number {
  return Math.max(1, Math.round(fps * segmentSec))
}

// Where every rendition is cut, and every rung gets a keyframe: 2, 6, 12, 18, … seconds,
// on past `durationSec` by a margin (a declared duration may be a little short; past the
// last cut ffmpeg would not cut again).
export function segmentCuts(durationSec: number): number[] {
  const untilSec = durationSec + Math.max(60, durationSec / 10)
  const cuts = [firstSegmentSec]
  for (let t = segmentSec; t < untilSec; t += segmentSec) cuts.push(t)
  return cuts
}

export type AudioRendition = {
  sourceIndex: number
  lang: string
  // File name part: audio_<key>.m3u8. The language, with a number from the second track
  // of the same language on (en, en-2); a surround rendition adds 51 (en-51, en-2x51).
  key: string
  name: string
  // Only on a surround rendition (6: AAC 5.1); every other is AAC stereo.
  channels?: number
  // Only on a stereo rendition whose source is AAC-LC stereo already (copy.ts): copied as
  // it is, at the source's bit rate.
  copy?: { bitrateKbps: number }
}

// Sources with more than 2 channels keep them in a second rendition of the same track,
// besides the stereo one every player can play: AAC 5.1 (hls.js and Safari both play
// it; E-AC-3 has no decoder in Chromium or Firefox). 7.1 is folded into 5.1, and fewer
// channels are placed in the 5.1 layout.
export const surroundChannels = 6
const surroundBitrateKbps = 384

export function audioBitrateKbpsOf(track: AudioRendition): number {
  if (track.copy) return track.copy.bitrateKbps
  return track.channels === surroundChannels ? surroundBitrateKbps : audioBitrateKbps
}

function numbered(items: { lang: string }[], index: number): number {
  return items.slice(0, index).filter(item => item.lang === items[index].lang).length + 1
}

type AudioStream = { index: number; language: string | null; channels?: number }

// The stereo rendition of each track, followed by its surround one when it has more than 2 channels.
export function planAudioRenditions(streams: AudioStream[]): AudioRendition[] {
  const tagged = streams.map(stream => ({
    index: stream.index,
    lang: normalizeLanguage(stream.language),
    channels: stream.channels ?? 2,
  }))
  return tagged.flatMap((track, i) => {
    const n = numbered(tagged, i)
    const baseName = track.lang === 'und' ? `Audio ${i + 1}` : languageName(track.lang)
    const stereo = {
      sourceIndex: track.index,
      lang: track.lang,
      key: n === 1 ? track.lang : `${track.lang}-${n}`,
      name: n === 1 || track.lang === 'und' ? baseName : `${baseName} ${n}`,
    }
    if (track.channels <= 2) return [stereo]
    const surroundKey = n === 1 ? `${track.lang}-51` : `${track.lang}-${n}x51`
    return [stereo, { ...stereo, key: surroundKey, name: `${stereo.name} 5.1`, channels: surroundChannels }]
  })
}

export type SubtitlePlan = { sourceIndex: number; lang: string; name: string }

// One track per language (subs/<lang>.vtt): the first stream of each language wins.
export function planSubtitleTracks(streams: { index: number; language: string | null }[]): SubtitlePlan[] {
  const seen = new Set<string>()
  const plans: SubtitlePlan[] = []
  for (const stream of streams) {
    const lang = normalizeLanguage(stream.language)
    if (seen.has(lang)) continue
    seen.add(lang)
    plans.push({ sourceIndex: stream.index, lang, name: languageName(lang) })
  }
  return plans
}
