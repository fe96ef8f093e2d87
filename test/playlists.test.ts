// m3u8 writing and reading (RFC 8216 and shared/hls-layout.md), pure.
import { describe, expect, test } from 'bun:test'
import { masterPlaylistOf } from '../src/hls/publish'
import {
  averageBitrate,
  parseAttributeList,
  parseMediaPlaylist,
  peakBitrate,
  renderMasterPlaylist,
  renderMediaPlaylist,
  renderSubtitlePlaylist,
} from '../src/hls/playlists'
import { parseMasterPlaylist } from './helpers/playlists'

const ffmpegPlaylist = `#EXTM3U
#EXT-X-VERSION:3
#EXT-X-TARGETDURATION:6
#EXT-X-MEDIA-SEQUENCE:0
#EXT-X-PLAYLIST-TYPE:EVENT
#EXTINF:6.006000,
data0000.ts
#EXTINF:6.006000,
data0001.ts
`

describe('media playlists', () => {
  test("reads ffmpeg's playlist: listed segments and whether it has ended", () => {
    expect(parseMediaPlaylist(ffmpegPlaylist)).toEqual({
      segments: [
        { uri: 'data0000.ts', durationSec: 6.006 },
        { uri: 'data0001.ts', durationSec: 6.006 },
      ],
      isEnded: false,
    })
    expect(parseMediaPlaylist(`${ffmpegPlaylist}#EXTINF:1.5,\ndata0002.ts\n#EXT-X-ENDLIST\n`).isEnded).toBe(true)
    expect(parseMediaPlaylist('').segments).toEqual([])
  })

  test('an unfinished rendition is an EVENT playlist without ENDLIST, a finished one VOD with it', () => {
    const segments = [
      { uri: 'stream_0/data0000.ts', durationSec: 6.006 },
      { uri: 'stream_0/data0001.ts', durationSec: 2.5 },
    ]
    const growing = renderMediaPlaylist({ segments, segmentSec: 6, isFinished: false })
    expect(growing).toContain('#EXT-X-PLAYLIST-TYPE:EVENT')
    expect(growing).not.toContain('#EXT-X-ENDLIST')
    const done = renderMediaPlaylist({ segments, segmentSec: 6, isFinished: true })
    expect(done.split('\n')).toEqual([
      '#EXTM3U',
      '#EXT-X-VERSION:3',
      '#EXT-X-TARGETDURATION:6',
      '#EXT-X-MEDIA-SEQUENCE:0',
      '#EXT-X-PLAYLIST-TYPE:VOD',
      '#EXT-X-INDEPENDENT-SEGMENTS',
      '#EXTINF:6.006000,',
      'stream_0/data0000.ts',
      '#EXTINF:2.500000,',
      'stream_0/data0001.ts',
      '#EXT-X-ENDLIST',
      '',
    ])
  })

  test('the target duration covers every segment rounded to the nearest second', () => {
    const text = renderMediaPlaylist({ segments: [{ uri: 'a.ts', durationSec: 7.6 }], segmentSec: 6, isFinished: true })
    expect(text).toContain('#EXT-X-TARGETDURATION:8')
  })

  test('a subtitle playlist is one WebVTT segment as long as the film', () => {
    const text = renderSubtitlePlaylist({ uri: 'subs/ru.vtt', durationSec: 5400.5 })
    expect(text).toContain('#EXT-X-TARGETDURATION:5401')
    expect(text).toContain('#EXTINF:5400.500000,\nsubs/ru.vtt\n#EXT-X-ENDLIST')
  })
})

describe('bit rates', () => {
  const segment = (sizeBytes: number, durationSec = 6) => ({ uri: 'x.ts', durationSec, sizeBytes })

  const rates = { targetDurationSec: 6, shortestSegmentSec: 2 }

  test('the peak is the highest rate of any segment or run of segments 0.5–1.5 target durations long', () => {
    // 6 s segments of 750 kB (1 Mbit/s) and one of 1.5 MB (2 Mbit/s).
    const segments = [segment(750_000), segment(1_500_000), segment(750_000)]
    expect(peakBitrate(segments, rates)).toBe(2_000_000)
    expect(averageBitrate(segments)).toBe(Math.ceil((3_000_000 * 8) / 18))
  })

  test('the short first segment counts alone: it is often the densest, and players fetch it alone', () => {
    // 2 s at 2 Mbit/s (a keyframe while the encoder's buffer is full), then 1 Mbit/s.
    const segments = [segment(500_000, 2), segment(500_000, 4), segment(750_000)]
    expect(peakBitrate(segments, rates)).toBe(2_000_000)
  })

  test('a tiny last segment holding one keyframe does not make the peak absurd', () => {
    const segments = [segment(750_000), segment(750_000), segment(60_000, 0.1)]
    // Alone it would be 4.8 Mbit/s; joined with its neighbour it is ~1.07 Mbit/s.
    expect(peakBitrate(segments, rates)).toBeLessThan(1_100_000)
    expect(peakBitrate(segments, rates)).toBeGreaterThanOrEqual(1_000_000)
  })

  test('a video shorter than the shortest planned segment is measured as a whole', () => {
    expect(peakBitrate([segment(100_000, 1.5)], rates)).toBe(Math.ceil(800_000 / 1.5))
  })
})

describe('master playlist', () => {
  const master = renderMasterPlaylist({
    variants: [
      {
        uri: 'stream_0.m3u8',
        bandwidth: 3_100_000.2,
        averageBandwidth: 2_000_000,
        width: 1280,
        height: 720,
        frameRate: 30000 / 1001,
        videoCodec: 'avc1.64001f',
      },
      {
        uri: 'stream_1.m3u8',
        bandwidth: 1_500_000,
        averageBandwidth: 900_000,
        width: 854,
        height: 480,
        frameRate: 30000 / 1001,
        videoCodec: 'avc1.4d401e',
      },
    ],
    audio: [
      { lang: 'en', name: 'English', uri: 'audio_en.m3u8' },
      { lang: 'ru', name: 'Русский', uri: 'audio_ru.m3u8' },
    ],
    subtitles: [{ lang: 'ru', name: 'Русский', uri: 'subs_ru.m3u8' }],
  })
  const parsed = parseMasterPlaylist(master)

  test('has the header tags', () => {
    expect(master.startsWith('#EXTM3U\n')).toBe(true)
    expect(parsed.tags).toContain('#EXT-X-VERSION:3')
    expect(parsed.tags).toContain('#EXT-X-INDEPENDENT-SEGMENTS')
  })

  test('one EXT-X-STREAM-INF per rung with every attribute', () => {
    expect(parsed.variants.map(v => v.uri)).toEqual(['stream_0.m3u8', 'stream_1.m3u8'])
    expect(parsed.variants[0].attributes).toEqual({
      BANDWIDTH: '3100001',
      'AVERAGE-BANDWIDTH': '2000000',
      RESOLUTION: '1280x720',
      'FRAME-RATE': '29.970',
      CODECS: 'avc1.64001f,mp4a.40.2',
      AUDIO: 'aud',
      SUBTITLES: 'subs',
    })
  })

  test('audio and subtitle renditions; the first audio is the default', () => {
    expect(parsed.media).toEqual([
      {
        TYPE: 'AUDIO',
        'GROUP-ID': 'aud',
        LANGUAGE: 'en',
        NAME: 'English',
        DEFAULT: 'YES',
        AUTOSELECT: 'YES',
        CHANNELS: '2',
        URI: 'audio_en.m3u8',
      },
      {
        TYPE: 'AUDIO',
        'GROUP-ID': 'aud',
        LANGUAGE: 'ru',
        NAME: 'Русский',
        DEFAULT: 'NO',
        AUTOSELECT: 'YES',
        CHANNELS: '2',
        URI: 'audio_ru.m3u8',
      },
      {
        TYPE: 'SUBTITLES',
        'GROUP-ID': 'subs',
        LANGUAGE: 'ru',
        NAME: 'Русский',
        DEFAULT: 'NO',
        AUTOSELECT: 'YES',
        FORCED: 'NO',
        URI: 'subs_ru.m3u8',
      },
    ])
  })

  test('without subtitles there is no SUBTITLES attribute; without audio no AUDIO and a video-only CODECS', () => {
    const silent = parseMasterPlaylist(
      renderMasterPlaylist({
        variants: [
          { uri: 'stream_0.m3u8', bandwidth: 1, averageBandwidth: 1, width: 2, height: 2, frameRate: 25, videoCodec: 'avc1.4d401e' },
        ],
        audio: [],
        subtitles: [],
      }),
    )
    expect(silent.variants[0].attributes).toEqual({
      BANDWIDTH: '1',
      'AVERAGE-BANDWIDTH': '1',
      RESOLUTION: '2x2',
      'FRAME-RATE': '25.000',
      CODECS: 'avc1.4d401e',
    })
  })

  test('is rendered from the media row: tracks with the same language get their own files', () => {
    const text = masterPlaylistOf({
      isPlayable: true,
      source: { width: 1920, height: 1080, videoCodec: 'h264', audioTracks: 2, frameRate: 25 },
      renditions: [
        {
          name: '1080p',
          width: 1920,
          height: 1080,
          bandwidth: 5_000_000,
          averageBandwidth: 4_000_000,
          frameRate: 25,
          codecs: 'avc1.640028',
        },
      ],
      audio: [
        { lang: 'en', name: 'English', key: 'en' },
        { lang: 'en', name: 'English 2', key: 'en-2' },
      ],
      subtitles: [{ lang: 'uk', name: 'Українська' }],
    })
    const parsedRow = parseMasterPlaylist(text)
    expect(parsedRow.media.map(m => m.URI)).toEqual(['audio_en.m3u8', 'audio_en-2.m3u8', 'subs_uk.m3u8'])
    expect(parsedRow.variants[0].attributes.CODECS).toBe('avc1.640028,mp4a.40.2')
  })

  test('a surround rendition is listed beside the stereo one of its language, with CHANNELS="6"', () => {
    const text = masterPlaylistOf({
      isPlayable: true,
      source: { width: 1920, height: 1080, videoCodec: 'h264', audioTracks: 1, frameRate: 25 },
      renditions: [{ name: '1080p', width: 1920, height: 1080, bandwidth: 5_000_000, codecs: 'avc1.640028' }],
      audio: [
        { lang: 'en', name: 'English', key: 'en' },
        { lang: 'en', name: 'English 5.1', key: 'en-51', channels: 6 },
      ],
      subtitles: [],
    })
    expect(parseMasterPlaylist(text).media.map(m => `${m.LANGUAGE} ${m.NAME} ${m.DEFAULT} ${m.CHANNELS} ${m.URI}`)).toEqual([
      'en English YES 2 audio_en.m3u8',
      'en English 5.1 NO 6 audio_en-51.m3u8',
    ])
  })

  test('attribute lists keep commas inside quoted strings', () => {
    expect(parseAttributeList('A=1,B="x,y",C=abc')).toEqual({ A: '1', B: 'x,y', C: 'abc' })
  })
})
