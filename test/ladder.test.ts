// The ladder rules of shared/hls-layout.md, as pure functions of the probed source.
import { describe, expect, test } from 'bun:test'
import {
  gopFrames,
  outputFrameRate,
  planAudioRenditions,
  planSubtitleTracks,
  planVideoRungs,
  segmentCuts,
} from '../src/transcoding/ladder'
import { languageName, normalizeLanguage } from '../src/hls/languages'
import { checkProbe, limits, MediaRejected, type RawProbe } from '../src/transcoding/probe'

const sizes = (display: { width: number; height: number }) => planVideoRungs(display).map(rung => `${rung.width}x${rung.height}`)

describe('video rungs', () => {
  test('a 1080p source gets 1080/720/480/360, highest first, High profile from 720 up', () => {
    const rungs = planVideoRungs({ width: 1920, height: 1080 })
    expect(rungs.map(r => `${r.name} ${r.width}x${r.height} ${r.profile}`)).toEqual([
      '1080p 1920x1080 high',
      '720p 1280x720 high',
      '480p 854x480 main',
      '360p 640x360 main',
    ])
  })

  test('never upscales: a 720p source starts at 720, a 4K source stops at 1080', () => {
    expect(sizes({ width: 1280, height: 720 })).toEqual(['1280x720', '854x480', '640x360'])
    expect(sizes({ width: 3840, height: 2160 })).toEqual(['1920x1080', '1280x720', '854x480', '640x360'])
    expect(sizes({ width: 1600, height: 900 })).toEqual(['1280x720', '854x480', '640x360'])
  })

  test('a source below 360 lines gets one rung at its own size, Main profile', () => {
    const rungs = planVideoRungs({ width: 320, height: 240 })
    expect(rungs).toHaveLength(1)
    expect(rungs[0]).toMatchObject({ name: '240p', width: 320, height: 240, profile: 'main' })
    expect(sizes({ width: 321, height: 181 })).toEqual(['322x182'])
  })

  test('widths keep the display aspect ratio and are even', () => {
    expect(sizes({ width: 1440, height: 1080 })).toEqual(['1440x1080', '960x720', '640x480', '480x360'])
    // Portrait phone video: the height rules, the width follows.
    expect(sizes({ width: 1080, height: 1920 })).toEqual(['608x1080', '406x720', '270x480', '202x360'])
    for (const rung of planVideoRungs({ width: 1998, height: 1080 })) {
      expect(rung.width % 2).toBe(0)
      expect(rung.height % 2).toBe(0)
    }
  })

  test('a scope film gets the rungs at or below its height, its width following the aspect ratio', () => {
    expect(sizes({ width: 1920, height: 800 })).toEqual(['1728x720', '1152x480', '864x360'])
  })

  test('caps shrink with the picture and bufsize is twice the maxrate', () => {
    const [full] = planVideoRungs({ width: 1920, height: 1080 })
    const [narrow] = planVideoRungs({ width: 1440, height: 1080 })
    expect(full.maxrateKbps).toBe(6000)
    expect(narrow.maxrateKbps).toBe(4500)
    for (const rung of planVideoRungs({ width: 1920, height: 1080 })) expect(rung.bufsizeKbps).toBe(2 * rung.maxrateKbps)
  })
})

describe('frame rate', () => {
  test('rates above 30 are halved until they fit; others are kept', () => {
    expect(outputFrameRate(60)).toBe(30)
    expect(outputFrameRate(60000 / 1001)).toBeCloseTo(30000 / 1001, 6)
    expect(outputFrameRate(50)).toBe(25)
    expect(outputFrameRate(120)).toBe(30)
    expect(outputFrameRate(144)).toBe(18)
    expect(outputFrameRate(24000 / 1001)).toBeCloseTo(23.976, 3)
    expect(outputFrameRate(30)).toBe(30)
  })

  test('one keyframe every 6 seconds', () => {
    expect(gopFrames(30)).toBe(180)
    expect(gopFrames(25)).toBe(150)
    expect(gopFrames(24000 / 1001)).toBe(144)
  })

  test('segments are cut at 2 s, then at every multiple of 6 s, well past the declared end', () => {
    const cuts = segmentCuts(14)
    expect(cuts.slice(0, 4)).toEqual([2, 6, 12, 18])
    expect(cuts.slice(1).every((cut, i) => i === 0 || cut - cuts[i] === 6)).toBe(true)
    expect(cuts.at(-1)!).toBeGreaterThanOrEqual(14 + 60 - 6)
    // Ten per cent more for a long film, whose declared length may be further off.
    expect(segmentCuts(7200).at(-1)!).toBeGreaterThanOrEqual(7200 + 720 - 6)
  })

  test('the cut list of the longest video accepted fits in one command-line argument (128 KiB)', () => {
    const longest = segmentCuts(limits.maxDurationSec).join(',')
    expect(Buffer.byteLength(longest)).toBeLessThan(128 * 1024)
  })
})

describe('languages', () => {
  test('ISO 639-2 tags become ISO 639-1, untagged or junk becomes und', () => {
    expect(['eng', 'rus', 'fre', 'fra', 'ger', 'deu', 'ukr', 'en-US', 'RUS'].map(normalizeLanguage)).toEqual([
      'en',
      'ru',
      'fr',
      'fr',
      'de',
      'de',
      'uk',
      'en',
      'ru',
    ])
    expect([null, '', 'und', 'zxx', 'qaa', '12', 'xyz'].map(normalizeLanguage)).toEqual(Array(7).fill('und'))
    expect(normalizeLanguage('fil')).toBe('fil')
  })

  test('names are what a viewer looks for in a menu', () => {
    expect(languageName('en')).toBe('English')
    expect(languageName('ru')).toBe('Русский')
    expect(languageName('uk')).toBe('Українська')
  })
})

describe('audio renditions', () => {
  test('one per audio stream, named by language, duplicates numbered, untagged is und', () => {
    const plan = planAudioRenditions([
      { index: 1, language: 'eng' },
      { index: 2, language: 'rus' },
      { index: 3, language: 'eng' },
      { index: 4, language: null },
    ])
    expect(plan).toEqual([
      { sourceIndex: 1, lang: 'en', key: 'en', name: 'English' },
      { sourceIndex: 2, lang: 'ru', key: 'ru', name: 'Русский' },
      { sourceIndex: 3, lang: 'en', key: 'en-2', name: 'English 2' },
      { sourceIndex: 4, lang: 'und', key: 'und', name: 'Audio 4' },
    ])
  })

  test('subtitle streams: one track per language, the first stream wins', () => {
    const plan = planSubtitleTracks([
      { index: 5, language: 'rus' },
      { index: 6, language: 'rus' },
      { index: 7, language: 'eng' },
    ])
    expect(plan).toEqual([
      { sourceIndex: 5, lang: 'ru', name: 'Русский' },
      { sourceIndex: 7, lang: 'en', name: 'English' },
    ])
  })
})

describe('probe checks (before anything is decoded)', () => {
  const video = {
    index: 0,
    codec_type: 'video',
    codec_name: 'h264',
    width: 1920,
    height: 1080,
    r_frame_rate: '30/1',
    avg_frame_rate: '30/1',
  }
  const probe = (raw: Partial<RawProbe> & { streams?: unknown[] }): RawProbe =>
    ({ format: { format_name: 'matroska,webm', duration: '60.0', nb_streams: 1 }, streams: [video], ...raw }) as RawProbe
  const rejection = (raw: RawProbe) => {
    try {
      checkProbe(raw)
      return null
    } catch (error) {
      expect(error).toBeInstanceOf(MediaRejected)
      return (error as Error).message
    }
  }

  test('an ordinary file passes with its display size and frame rate', () => {
    const checked = checkProbe(probe({}))
    expect(checked).toMatchObject({
      demuxer: 'matroska',
      durationSec: 60,
      video: { displayWidth: 1920, displayHeight: 1080, frameRate: 30 },
    })
  })

  test('playlists and other referencing formats are refused', () => {
    for (const format_name of ['hls', 'applehttp', 'concat', 'image2', 'sdp', 'tty'])
      expect(rejection(probe({ format: { format_name, duration: '10' } }))).toContain('not a video ffmpeg can read')
  })

  test('absurd declarations are refused', () => {
    expect(rejection(probe({ streams: [{ ...video, width: 100000, height: 100000 }] }))).toContain('too large')
    expect(rejection(probe({ streams: [{ ...video, width: 8192, height: 8192 }] }))).toContain('too large')
    expect(rejection(probe({ format: { format_name: 'mov', duration: String(25 * 3600) } }))).toContain('24 hours')
    expect(rejection(probe({ format: { format_name: 'mov' } }))).toContain('length is unknown')
    const many = Array.from({ length: 65 }, (_, i) => ({ index: i, codec_type: 'audio', codec_name: 'aac' }))
    expect(rejection(probe({ streams: [video, ...many] }))).toContain('more than 64 streams')
    expect(rejection(probe({ streams: [{ index: 0, codec_type: 'audio', codec_name: 'aac' }] }))).toContain('no video stream')
    // Cover art is not a film.
    expect(rejection(probe({ streams: [{ ...video, disposition: { attached_pic: 1 } }] }))).toContain('no video stream')
  })

  test('anamorphic and rotated pictures are measured as shown', () => {
    const dvd = checkProbe(probe({ streams: [{ ...video, width: 720, height: 576, sample_aspect_ratio: '64:45' }] }))
    expect([dvd.video.displayWidth, dvd.video.displayHeight]).toEqual([1024, 576])
    const phone = checkProbe(probe({ streams: [{ ...video, side_data_list: [{ rotation: -90 }] }] }))
    expect([phone.video.displayWidth, phone.video.displayHeight]).toEqual([1080, 1920])
  })

  test('frame rates: exact base rate, millisecond averages snapped, variable-rate averages kept', () => {
    const rateOf = (r: string, avg: string) =>
      checkProbe(probe({ streams: [{ ...video, r_frame_rate: r, avg_frame_rate: avg }] })).video.frameRate
    expect(rateOf('30/1', '2997/100')).toBe(30)
    expect(rateOf('30000/1001', '30000/1001')).toBeCloseTo(29.97, 2)
    // A variable-rate phone video: its base rate is a clock, its average what it meant.
    expect(rateOf('90000/1', '2987/100')).toBeCloseTo(29.97, 2)
    expect(rateOf('90000/1', '2750/100')).toBe(27.5)
    expect(rateOf('50/1', '50/1')).toBe(50)
  })
})
