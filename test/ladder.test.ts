// The ladder rules of shared/hls-layout.md, as pure functions of the probed source.
import { describe, expect, test } from 'bun:test'
import {
  audioBitrateKbpsOf,
  gopFrames,
  outputFrameRate,
  planAudioRenditions,
  planSubtitleTracks,
  planVideoRungs,
  rungBoxes,
  segmentCuts,
  type VideoRung,
} from '../src/transcoding/ladder'
import { audioTracksOf, cappedRendition, planTranscode } from '../src/transcoding/plan'
import { servedNamePatterns } from '../src/hls/layout'
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
    for (const rung of planVideoRungs({ width: 1998, height: 1080 })) {
      expect(rung.width % 2).toBe(0)
      expect(rung.height % 2).toBe(0)
    }
  })

  test('a 2.39:1 scope film keeps its full width: each rung fills its box across', () => {
    expect(sizes({ width: 1920, height: 804 })).toEqual(['1920x804', '1280x536', '854x358', '640x268'])
    expect(sizes({ width: 1920, height: 800 })).toEqual(['1920x800', '1280x534', '854x356', '640x266'])
    // A 4K scope master stops at the 1080 box, like any other.
    expect(sizes({ width: 3840, height: 1608 })).toEqual(['1920x804', '1280x536', '854x358', '640x268'])
  })

  test('a 4:3 picture fills each box from top to bottom; a portrait phone video gets upright boxes', () => {
    expect(sizes({ width: 1440, height: 1080 })).toEqual(['1440x1080', '960x720', '640x480', '480x360'])
    expect(sizes({ width: 1080, height: 1920 })).toEqual(['1080x1920', '720x1280', '480x854', '360x640'])
    expect(sizes({ width: 720, height: 1280 })).toEqual(['720x1280', '480x854', '360x640'])
    expect(sizes({ width: 360, height: 640 })).toEqual(['360x640'])
  })

  test('names, profiles and caps follow the box, not the height of the picture in it', () => {
    const describeRung = (r: VideoRung) => `${r.name} ${r.width}x${r.height} ${r.profile} ${r.maxrateKbps}k`
    // A full box has the box's cap; a picture that fills part of it, that share of the cap.
    expect(planVideoRungs({ width: 1080, height: 1920 }).map(describeRung)).toEqual([
      '1080p 1080x1920 high 6000k',
      '720p 720x1280 high 3000k',
      '480p 480x854 main 1500k',
      '360p 360x640 main 800k',
    ])
    expect(planVideoRungs({ width: 1920, height: 804 }).map(describeRung)).toEqual([
      '1080p 1920x804 high 4467k',
      '720p 1280x536 high 2233k',
      '480p 854x358 main 1119k',
      '360p 640x268 main 596k',
    ])
  })

  test('a rung exists when the picture fills its box in one dimension at least: never upscaled', () => {
    // As wide as the 1080 box, not as tall: a 1080 rung all the same.
    expect(sizes({ width: 1920, height: 700 })[0]).toBe('1920x700')
    // As tall, not as wide.
    expect(sizes({ width: 1080, height: 1080 })[0]).toBe('1080x1080')
    // Short of the box both ways: the next box down.
    expect(sizes({ width: 1900, height: 1060 })[0]).toBe('1280x714')
    expect(sizes({ width: 1279, height: 719 })).toEqual(['854x480', '640x360'])
    for (const [width, height] of [
      [1920, 1080],
      [1920, 804],
      [1080, 1920],
      [1998, 1080],
      [4096, 1716],
      [1000, 999],
      [873, 480],
      [700, 300],
      [300, 700],
    ]) {
      const rungs = planVideoRungs({ width, height })
      for (const rung of rungs) {
        const isPortrait = height > width
        const box = rungBoxes.find(b => b.name === rung.name) ?? rungBoxes[3]
        expect(rung.width).toBeLessThanOrEqual(isPortrait ? box.height : box.width)
        expect(rung.height).toBeLessThanOrEqual(isPortrait ? box.width : box.height)
        expect(rung.width).toBeLessThanOrEqual(width + 1)
        expect(rung.height).toBeLessThanOrEqual(height + 1)
        // The display aspect ratio, to within the rounding of one side to an even number.
        expect(Math.abs(rung.width / rung.height - width / height)).toBeLessThan(2 / Math.min(rung.width, rung.height))
      }
      // stream_0 is the highest rung present.
      expect(rungs.map(r => r.width * r.height)).toEqual(rungs.map(r => r.width * r.height).sort((a, b) => b - a))
    }
  })

  test('odd sizes: both sides even, the picture within its box', () => {
    // Flat 1.85:1 DCI (1998×1080) is wider than 16:9: it fills the box across.
    expect(sizes({ width: 1998, height: 1080 })).toEqual(['1920x1038', '1280x692', '854x462', '640x346'])
    expect(sizes({ width: 1918, height: 1080 })).toEqual(['1918x1080', '1278x720', '852x480', '640x360'])
    expect(sizes({ width: 721, height: 1281 })).toEqual(['720x1280', '480x852', '360x640'])
  })

  test('below the 360 box both ways: one rung at its own size, named by its short side', () => {
    expect(planVideoRungs({ width: 180, height: 320 })).toMatchObject([{ name: '180p', width: 180, height: 320, profile: 'main' }])
    // 700 wide already fills the 360 box across: scaled into it, not kept 60 px too wide.
    expect(sizes({ width: 700, height: 300 })).toEqual(['640x274'])
  })

  test('anamorphic sources: rungs of square pixels at the display aspect ratio', () => {
    const rawVideo = { index: 0, codec_type: 'video', codec_name: 'mpeg2video', r_frame_rate: '25/1', avg_frame_rate: '25/1' }
    const planOf = (stream: Record<string, unknown>) =>
      planTranscode(
        '/tmp/source',
        checkProbe({ format: { format_name: 'mpeg', duration: '60' }, streams: [{ ...rawVideo, ...stream }] } as RawProbe),
      ).rungs.map(rung => `${rung.width}x${rung.height}`)
    // PAL 16:9 DVD: 720×576 at SAR 64:45 is shown 1024×576.
    expect(planOf({ width: 720, height: 576, sample_aspect_ratio: '64:45' })).toEqual(['854x480', '640x360'])
    // PAL 4:3 DVD: 768×576 shown.
    expect(planOf({ width: 720, height: 576, sample_aspect_ratio: '16:15' })).toEqual(['640x480', '480x360'])
    // NTSC 16:9 DVD: 720×480 at SAR 40:33 is shown 873×480, a little wider than 16:9: it
    // fills the 480 box across, where a height-based ladder would make it 874 wide.
    expect(planOf({ width: 720, height: 480, sample_aspect_ratio: '40:33' })).toEqual(['854x470', '640x352'])
    // HDV: 1440×1080 at SAR 4:3 is 16:9 full HD.
    expect(planOf({ width: 1440, height: 1080, sample_aspect_ratio: '4:3' })).toEqual(['1920x1080', '1280x720', '854x480', '640x360'])
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

  test('a track of more than 2 channels also gets an AAC 5.1 rendition, right after its stereo one', () => {
    const plan = planAudioRenditions([
      { index: 1, language: 'eng', channels: 6 },
      { index: 2, language: 'rus', channels: 2 },
      { index: 3, language: 'eng', channels: 8 },
      { index: 4, language: null, channels: 3 },
    ])
    expect(plan.map(r => `${r.sourceIndex} ${r.key} ${r.name} ${r.channels ?? 2}ch ${audioBitrateKbpsOf(r)}k`)).toEqual([
      '1 en English 2ch 128k',
      '1 en-51 English 5.1 6ch 384k',
      '2 ru Русский 2ch 128k',
      '3 en-2 English 2 2ch 128k',
      '3 en-2x51 English 2 5.1 6ch 384k',
      '4 und Audio 4 2ch 128k',
      '4 und-51 Audio 4 5.1 6ch 384k',
    ])
    // Every key is a name the file server serves (audio_<lang>[-suffix]).
    for (const rendition of plan) expect(servedNamePatterns.playlist.test(`audio_${rendition.key}.m3u8`)).toBe(true)
  })

  test("the master announces the surround rendition's bit rate for every rung, and the job row keeps its channels", () => {
    const probe = checkProbe({
      format: { format_name: 'matroska', duration: '60' },
      streams: [
        { index: 0, codec_type: 'video', codec_name: 'h264', width: 640, height: 360, r_frame_rate: '25/1' },
        { index: 1, codec_type: 'audio', codec_name: 'ac3', channels: 6, tags: { language: 'eng' } },
      ],
    } as RawProbe)
    const plan = planTranscode('/tmp/source', probe)
    expect(audioTracksOf(plan)).toEqual([
      { lang: 'en', name: 'English', key: 'en' },
      { lang: 'en', name: 'English 5.1', key: 'en-51', channels: 6 },
    ])
    const stereoOnly = { ...plan, audio: plan.audio.slice(0, 1) }
    const rung = plan.rungs[0]
    const withSurround = cappedRendition(rung, plan, 'avc1.4d401e')
    const withStereo = cappedRendition(rung, stereoOnly, 'avc1.4d401e')
    expect(withSurround.averageBandwidth! - withStereo.averageBandwidth!).toBe((384 - 128) * 1000)
    expect(withSurround.bandwidth).toBeGreaterThan(withStereo.bandwidth + 256_000)
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
