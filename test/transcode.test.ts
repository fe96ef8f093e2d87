// Transcoding with real ffmpeg: a real server starts its worker, sources are generated with
// lavfi, and the output is checked the way a player and an HLS validator would see it.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { signUp } from './helpers/client'
import { eventually, send } from './helpers/media'
import { type TestServer, startServer } from './helpers/server'
import {
  createMovie,
  enqueueSourceFile,
  ffprobeJson,
  isFinished,
  jobRows,
  keyframeTimes,
  makeSource,
  mediaRow,
  openServerDb,
  type TestDb,
  waitForJobLine,
  waitForMedia,
} from './helpers/transcode'
import { enqueueSource, mediaFolderOf, sourcesFolder, startTranscodeServer, transcodeSource } from './helpers/transcode-server'
import { parseMediaPlaylist } from '../src/hls/playlists'
import { parseMasterPlaylist } from './helpers/playlists'
import {
  averageBps,
  codecOfSegment,
  continuityBreaks,
  finishedPlaylistOf,
  type Measured,
  firstPids,
  peakBps,
  playerComplaintsOf,
  servedText,
  totalSec,
} from './helpers/hls-checks'

// Real encodes on a 2-core machine shared with other suites.
setDefaultTimeout(120_000)
const hookTimeoutMs = 120_000

const testEnv = { MOVIEPOINT_X264_PRESET: 'superfast' }
const sources = sourcesFolder('moviepoint-sources-')

let server: TestServer
let db: TestDb
let ownerId: number

beforeAll(async () => {
  ;({ server, db, ownerId } = await startTranscodeServer({ env: testEnv }))
}, hookTimeoutMs)
afterAll(() => server.stop())

const transcode = (sourcePath: string) => transcodeSource({ server, db, ownerId }, sourcePath)
const folderOf = (mediaId: number) => mediaFolderOf(server, mediaId)
const served = (mediaId: number, name: string) => servedText(server, mediaId, name)
const finishedPlaylist = (mediaId: number, name: string) => finishedPlaylistOf(server, mediaId, name)
const playerComplaints = (mediaId: number) => playerComplaintsOf(server, mediaId)

describe('a 720p MKV with English and Russian audio and a Russian SRT track', () => {
  let mediaId: number
  let master: ReturnType<typeof parseMasterPlaylist>

  beforeAll(async () => {
    const source = await makeSource(join(sources, 'film720.mkv'), {
      width: 1280,
      height: 720,
      durationSec: 8,
      audio: ['eng', 'rus'],
      subtitles: { rus: '1\n00:00:01,000 --> 00:00:02,500\nПривет, <i>мир</i>\n\n2\n00:00:04,000 --> 00:00:05,000\nПока\n\n' },
    })
    const result = await transcode(source)
    mediaId = result.mediaId
    expect(result.row.error).toBeNull()
    master = parseMasterPlaylist(await served(mediaId, 'master.m3u8'))
  }, hookTimeoutMs)

  test('ends ready at progress 1, playable, its job done on the first attempt', async () => {
    const row = await mediaRow(db, mediaId)
    expect(row).toMatchObject({ status: 'ready', progress: 1, error: null, isPlayable: true })
    expect(row.durationSec).toBeCloseTo(8, 0)
    expect(row.source).toMatchObject({ width: 1280, height: 720, videoCodec: 'h264', audioTracks: 2, frameRate: 30 })
    expect(await jobRows(db, mediaId)).toEqual([expect.objectContaining({ status: 'done', attempts: 1, leaseOwner: null })])
  })

  test('the ladder is 720/480/360, never upscaled, stream_0 the highest', async () => {
    expect(master.variants.map(v => [v.uri, v.attributes.RESOLUTION])).toEqual([
      ['stream_0.m3u8', '1280x720'],
      ['stream_1.m3u8', '854x480'],
      ['stream_2.m3u8', '640x360'],
    ])
    const row = await mediaRow(db, mediaId)
    expect(row.renditions.map(r => `${r.name} ${r.width}x${r.height}`)).toEqual(['720p 1280x720', '480p 854x480', '360p 640x360'])
  })

  test('every EXT-X-STREAM-INF attribute is right: measured BANDWIDTH, CODECS of the actual stream', async () => {
    const audio = await Promise.all(['audio_en.m3u8', 'audio_ru.m3u8'].map(name => finishedPlaylist(mediaId, name)))
    const audioPeak = Math.max(...audio.map(peakBps))
    const audioAverage = Math.max(...audio.map(averageBps))
    for (const [i, variant] of master.variants.entries()) {
      const segments = await finishedPlaylist(mediaId, `stream_${i}.m3u8`)
      const a = variant.attributes
      // RFC 8216 4.3.4.2: at least the peak segment bit rate, with the audio played beside it.
      expect(Number(a.BANDWIDTH)).toBeGreaterThanOrEqual(Math.floor(peakBps(segments) + audioPeak))
      expect(Number(a['AVERAGE-BANDWIDTH'])).toBeCloseTo(averageBps(segments) + audioAverage, -3)
      expect(Number(a['AVERAGE-BANDWIDTH'])).toBeLessThanOrEqual(Number(a.BANDWIDTH))
      expect(a['FRAME-RATE']).toBe('30.000')
      expect(a.AUDIO).toBe('aud')
      expect(a.SUBTITLES).toBe('subs')
      const probed = await codecOfSegment(join(folderOf(mediaId), segments[0].uri))
      expect(`${probed.width}x${probed.height}`).toBe(a.RESOLUTION)
      // High for 720p, Main below (superfast keeps CABAC and B-frames).
      expect(probed.profile).toBe(i === 0 ? 'High' : 'Main')
      const [video, audioCodec] = a.CODECS.split(',')
      expect(audioCodec).toBe('mp4a.40.2')
      expect(video.slice(0, 7)).toBe(i === 0 ? 'avc1.64' : 'avc1.4d')
      expect(Number.parseInt(video.slice(9, 11), 16)).toBe(probed.level)
      expect(totalSec(segments)).toBeCloseTo(8, 0)
    }
  })

  test('one AAC stereo rendition per audio stream, named by language; the first is the default', async () => {
    expect(master.media.filter(m => m.TYPE === 'AUDIO')).toEqual([
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
    ])
    const segments = await finishedPlaylist(mediaId, 'audio_ru.m3u8')
    const json = await ffprobeJson(join(folderOf(mediaId), segments[0].uri), [
      '-show_entries',
      'stream=codec_name,profile,channels,codec_type',
    ])
    expect(json.streams).toEqual([{ codec_name: 'aac', profile: 'LC', codec_type: 'audio', channels: 2 }])
    expect((await mediaRow(db, mediaId)).audio).toEqual([
      { lang: 'en', name: 'English', key: 'en' },
      { lang: 'ru', name: 'Русский', key: 'ru' },
    ])
  })

  test('the SRT stream becomes subs/ru.vtt with its playlist, listed in the master', async () => {
    expect(master.media.filter(m => m.TYPE === 'SUBTITLES')).toEqual([
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
    const playlist = await served(mediaId, 'subs_ru.m3u8')
    expect(playlist).toMatch(/\nsubs\/ru\.vtt\?v=[0-9a-f]+\n#EXT-X-ENDLIST/)
    const vtt = await served(mediaId, 'subs/ru.vtt')
    expect(vtt.startsWith('WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:126000,LOCAL:00:00:00.000\n')).toBe(true)
    expect(vtt).toContain('Привет, <i>мир</i>')
    expect(vtt).toContain('Пока')
    expect((await mediaRow(db, mediaId)).subtitles).toEqual([{ lang: 'ru', name: 'Русский' }])
  })

  test('the master has the header tags, and a poster frame of the top rung size exists', async () => {
    expect(master.tags).toContain('#EXT-X-INDEPENDENT-SEGMENTS')
    expect(master.tags.some(tag => /^#EXT-X-VERSION:\d+$/.test(tag))).toBe(true)
    const poster = await ffprobeJson(join(folderOf(mediaId), 'poster.jpg'), ['-show_entries', 'stream=codec_name,width,height'])
    expect(poster.streams[0]).toEqual({ codec_name: 'mjpeg', width: 1280, height: 720 })
  })

  test('ffmpeg, as an HLS client over HTTP, finds every rung and audio rendition through the master', async () => {
    const json = await ffprobeJson(`${server.url}/media/${mediaId}/master.m3u8`, [
      '-show_entries',
      'stream=codec_type,width,height:stream_tags=language',
    ])
    const streams = json.streams.map(s => (s.codec_type === 'video' ? `${s.width}x${s.height}` : `${s.codec_type} ${s.tags?.language}`))
    // (ffmpeg 5's HLS demuxer skips WebVTT renditions altogether; players read them.)
    expect(new Set(streams)).toEqual(new Set(['1280x720', '854x480', '640x360', 'audio en', 'audio ru']))
  })

  test('ffmpeg decodes every rendition through the master over HTTP without a corrupt packet', async () => {
    expect(await playerComplaints(mediaId)).toEqual([])
  })

  test('continuity counters go on from one segment file to the next in every rendition', async () => {
    for (const name of ['stream_0', 'stream_1', 'stream_2', 'audio_en', 'audio_ru']) {
      const segments = await finishedPlaylist(mediaId, `${name}.m3u8`)
      expect(segments.length).toBeGreaterThan(2)
      const paths = segments.map(s => join(folderOf(mediaId), s.uri))
      expect(continuityBreaks(paths)).toEqual([])
      // Yet each file stands alone: it starts with the tables (PAT, PID 0) a player needs first.
      for (const path of paths) expect(firstPids(path)).toContain(0)
    }
  })

  test('nothing but the layout is left in the folder; the source is kept (KeepSource=true)', () => {
    const names = readdirSync(folderOf(mediaId)).sort()
    expect(names).toEqual([
      'audio_en',
      'audio_en.m3u8',
      'audio_ru',
      'audio_ru.m3u8',
      'master.m3u8',
      'poster.jpg',
      'source.mkv',
      'stream_0',
      'stream_0.m3u8',
      'stream_1',
      'stream_1.m3u8',
      'stream_2',
      'stream_2.m3u8',
      'subs',
      'subs_ru.m3u8',
      'thumbs',
      'thumbs.vtt',
    ])
  })
})

describe('a 1080p source', () => {
  let mediaId: number

  beforeAll(async () => {
    const source = await makeSource(join(sources, 'film1080.mp4'), { width: 1920, height: 1080, durationSec: 8, audio: ['eng'] })
    mediaId = (await transcode(source)).mediaId
  }, hookTimeoutMs)

  test('gets four rungs, 1080p first', async () => {
    const master = parseMasterPlaylist(await served(mediaId, 'master.m3u8'))
    expect(master.variants.map(v => v.attributes.RESOLUTION)).toEqual(['1920x1080', '1280x720', '854x480', '640x360'])
    expect(master.variants[0].attributes.CODECS).toMatch(/^avc1\.64[0-9a-f]{4},mp4a\.40\.2$/)
  })

  test('keyframes sit at the same instants in every rung, and every segment starts with one', async () => {
    const perRung = await Promise.all(
      [0, 1, 2, 3].map(async rung => {
        const segments = await finishedPlaylist(mediaId, `stream_${rung}.m3u8`)
        return Promise.all(
          segments.map(async segment => {
            const path = join(folderOf(mediaId), segment.uri)
            const keyframes = await keyframeTimes(path)
            const first = await ffprobeJson(path, ['-select_streams', 'v', '-show_entries', 'frame=pts_time', '-read_intervals', '%+#1'])
            expect(keyframes[0]).toBe(Number(first.frames[0].pts_time))
            return keyframes
          }),
        )
      }),
    )
    // Cut at 2 s (a short first segment, to start watching sooner), then every 6 s.
    const startsSec = perRung[0].map(keyframes => keyframes[0] - perRung[0][0][0])
    expect(startsSec.map(sec => Math.round(sec * 10) / 10)).toEqual([0, 2, 6])
    for (const rung of perRung.slice(1)) expect(rung).toEqual(perRung[0])
  })
})

describe('every shape of picture: rungs are boxes', () => {
  // The master's RESOLUTION of each rung, and what ffprobe finds in the rung's first segment.
  async function rungSizes(mediaId: number) {
    const master = parseMasterPlaylist(await served(mediaId, 'master.m3u8'))
    return Promise.all(
      master.variants.map(async variant => {
        const [first] = await finishedPlaylist(mediaId, variant.uri)
        const path = join(folderOf(mediaId), first.uri)
        const json = await ffprobeJson(path, ['-select_streams', 'v', '-show_entries', 'stream=width,height,sample_aspect_ratio'])
        const { width, height, sample_aspect_ratio } = json.streams[0]
        return { resolution: variant.attributes.RESOLUTION, probed: `${width}x${height} SAR ${sample_aspect_ratio}` }
      }),
    )
  }

  test('a 360x640 phone video fills the upright 360 box: one 360x640 rung (not 270x480 and 202x360)', async () => {
    const source = await makeSource(join(sources, 'portrait.mp4'), { width: 360, height: 640, durationSec: 2, audio: [] })
    const { mediaId, row } = await transcode(source)
    expect(row.status).toBe('ready')
    expect(await rungSizes(mediaId)).toEqual([{ resolution: '360x640', probed: '360x640 SAR 1:1' }])
  })

  test('an anamorphic NTSC 16:9 source (720x480, SAR 40:33) comes out in square pixels within the boxes', async () => {
    const source = await makeSource(join(sources, 'anamorphic.mkv'), {
      width: 720,
      height: 480,
      durationSec: 2,
      audio: [],
      videoFilter: 'setsar=40/33',
    })
    const probed = await ffprobeJson(source, ['-select_streams', 'v', '-show_entries', 'stream=sample_aspect_ratio'])
    expect(probed.streams[0].sample_aspect_ratio).toBe('40:33')
    const { mediaId, row } = await transcode(source)
    expect(row.status).toBe('ready')
    // Shown 873x480 (a little wider than 16:9): each rung fills its box across.
    expect(await rungSizes(mediaId)).toEqual([
      { resolution: '854x470', probed: '854x470 SAR 1:1' },
      { resolution: '640x352', probed: '640x352 SAR 1:1' },
    ])
  })
})

describe('surround audio', () => {
  test('a 5.1 track becomes a stereo rendition and an AAC 5.1 one of the same language, CHANNELS="6"', async () => {
    const source = await makeSource(join(sources, 'surround.mkv'), {
      width: 320,
      height: 180,
      durationSec: 2,
      audio: ['eng'],
      audioChannels: 6,
    })
    const { mediaId, row } = await transcode(source)
    expect(row.status).toBe('ready')
    expect(row.audio).toEqual([
      { lang: 'en', name: 'English', key: 'en' },
      { lang: 'en', name: 'English 5.1', key: 'en-51', channels: 6 },
    ])
    const master = parseMasterPlaylist(await served(mediaId, 'master.m3u8'))
    expect(master.media.map(m => `${m.LANGUAGE} ${m.NAME} ${m.DEFAULT} ${m.CHANNELS} ${m.URI}`)).toEqual([
      'en English YES 2 audio_en.m3u8',
      'en English 5.1 NO 6 audio_en-51.m3u8',
    ])
    for (const [name, channels] of [
      ['audio_en.m3u8', 2],
      ['audio_en-51.m3u8', 6],
    ] as const) {
      const [first] = await finishedPlaylist(mediaId, name)
      const json = await ffprobeJson(join(folderOf(mediaId), first.uri), ['-show_entries', 'stream=codec_name,profile,channels'])
      expect({ name, ...json.streams[0] }).toEqual({ name, codec_name: 'aac', profile: 'LC', channels })
    }
    expect(await playerComplaints(mediaId)).toEqual([])
  })
})

describe('small sources and replacements', () => {
  test('a 320x240 source without audio: one rung at its own size, a video-only master', async () => {
    const source = await makeSource(join(sources, 'small.mp4'), { width: 320, height: 240, durationSec: 3, audio: [] })
    const { mediaId, row } = await transcode(source)
    expect(row).toMatchObject({ status: 'ready', progress: 1, audio: [] })
    const master = parseMasterPlaylist(await served(mediaId, 'master.m3u8'))
    expect(master.media).toEqual([])
    expect(master.variants).toHaveLength(1)
    expect(master.variants[0].attributes).toMatchObject({ RESOLUTION: '320x240' })
    expect(master.variants[0].attributes.CODECS).toMatch(/^avc1\.4d[0-9a-f]{4}$/)
    expect(master.variants[0].attributes.AUDIO).toBeUndefined()
  })

  test('a new video of a title replaces the older one once the new one is ready', async () => {
    const source = await makeSource(join(sources, 'replace.mkv'), { width: 320, height: 180, durationSec: 2 })
    const first = await transcode(source)
    expect(first.row.status).toBe('ready')
    const secondId = await enqueueSourceFile(server, db, { titleId: first.titleId, ownerId, sourcePath: source })
    // Until then the old one stays watchable.
    expect((await mediaRow(db, first.mediaId)).status).toBe('ready')
    const second = { mediaId: secondId, row: await waitForMedia(db, secondId, isFinished) }
    await waitForJobLine(server, secondId)
    expect(second.row.status).toBe('ready')
    expect(await mediaRow(db, first.mediaId)).toBeUndefined()
    expect(existsSync(folderOf(first.mediaId))).toBe(false)
    expect(existsSync(join(folderOf(second.mediaId), 'master.m3u8'))).toBe(true)
  })
})

describe('watching while transcoding', () => {
  test('the master and growing EVENT playlists are served before the end; only finished segments are listed', async () => {
    const source = await makeSource(join(sources, 'long.mkv'), { width: 1280, height: 720, durationSec: 14 })
    const { mediaId } = await enqueueSource({ server, db, ownerId }, source)
    let earlyMaster: string | null = null
    let earlyPlaylist = ''
    const seenSegments = new Map<string, number>()
    for (;;) {
      const row = await mediaRow(db, mediaId)
      if (isFinished(row)) break
      if (row.status === 'processing' && row.isPlayable) {
        earlyMaster = await served(mediaId, 'master.m3u8')
        earlyPlaylist = await served(mediaId, 'stream_0.m3u8')
        // Whatever is listed is complete: its size never changes afterwards.
        for (const { uri } of parseMediaPlaylist(earlyPlaylist).segments)
          if (!seenSegments.has(uri)) seenSegments.set(uri, statSync(join(folderOf(mediaId), uri)).size)
        if ((await mediaRow(db, mediaId)).status === 'processing') break
      }
      await Bun.sleep(50)
    }
    expect(earlyMaster).not.toBeNull()
    expect(parseMasterPlaylist(earlyMaster!).variants).toHaveLength(3)
    expect(earlyPlaylist).toContain('#EXT-X-PLAYLIST-TYPE:EVENT')
    expect(earlyPlaylist).not.toContain('#EXT-X-ENDLIST')
    expect((await mediaRow(db, mediaId)).progress).toBeLessThan(1)

    const row = await waitForMedia(db, mediaId, isFinished)
    expect(row.status).toBe('ready')
    const final = await finishedPlaylist(mediaId, 'stream_0.m3u8')
    // A short first segment, a 4 s one up to the next 6 s instant, then 6 s ones: the same in the audio.
    const lengths = (segments: Measured[]) => segments.map(segment => Math.round(segment.durationSec * 10) / 10)
    expect(lengths(final)).toEqual([2, 4, 6, 2])
    expect(lengths(await finishedPlaylist(mediaId, 'audio_en.m3u8'))).toEqual([2, 4, 6, 2])
    for (const [uri, size] of seenSegments) expect(final.find(s => s.uri === uri)?.sizeBytes).toBe(size)
    // While it grew, the master announced a bound the encoder could not exceed.
    const audioPeak = peakBps(await finishedPlaylist(mediaId, 'audio_en.m3u8'))
    for (const [i, variant] of parseMasterPlaylist(earlyMaster!).variants.entries()) {
      const segments = await finishedPlaylist(mediaId, `stream_${i}.m3u8`)
      expect(Number(variant.attributes.BANDWIDTH)).toBeGreaterThanOrEqual(Math.ceil(peakBps(segments) + audioPeak))
    }
  })
})

describe('completeness', () => {
  test('an MP4 whose subtitle track ends after its video and audio is complete, not "truncated"', async () => {
    const source = await makeSource(join(sources, 'late-subtitle.mp4'), {
      width: 320,
      height: 180,
      durationSec: 4,
      subtitles: { eng: '1\n00:00:01,000 --> 00:00:02,000\nHello\n\n2\n00:00:10,000 --> 00:00:12,000\nThe end\n\n' },
    })
    // The container lasts as long as its longest track: the subtitles' 12 s.
    expect(Number((await ffprobeJson(source, ['-show_entries', 'format=duration'])).format.duration)).toBeCloseTo(12, 0)
    const { mediaId, row } = await transcode(source)
    expect(row).toMatchObject({ status: 'ready', progress: 1, error: null })
    expect(row.durationSec).toBeCloseTo(4, 0)
    expect(totalSec(await finishedPlaylist(mediaId, 'stream_0.m3u8'))).toBeCloseTo(4, 0)
    expect(await served(mediaId, 'subs/en.vtt')).toContain('The end')
  })
})

describe('KeepSource=false', () => {
  test('the uploaded file is deleted once the video is ready', async () => {
    const other = await startServer({ ini: { Workers: 1, KeepSource: false }, env: testEnv })
    try {
      const user = await signUp(other.url)
      const { client, db: otherDb } = openServerDb(other)
      const source = await makeSource(join(sources, 'nokeep.mp4'), { width: 320, height: 180, durationSec: 2 })
      const mediaId = await enqueueSourceFile(other, otherDb, {
        titleId: await createMovie(otherDb, user.userId),
        ownerId: user.userId,
        sourcePath: source,
      })
      expect((await waitForMedia(otherDb, mediaId, isFinished)).status).toBe('ready')
      await waitForJobLine(other, mediaId)
      const names = readdirSync(join(other.mediaDir, String(mediaId)))
      expect(names).toContain('master.m3u8')
      expect(names.filter(name => name.startsWith('source.'))).toEqual([])
      client.close()
    } finally {
      await other.stop()
    }
  })
})

describe('job pickup', () => {
  test("an upload to the server starts its worker at once, without waiting for the worker's next poll", async () => {
    const pollMs = 60_000
    const other = await startServer({ ini: { Workers: 1 }, env: { ...testEnv, MOVIEPOINT_JOB_POLL_MS: String(pollMs) } })
    try {
      const user = await signUp(other.url)
      const { client, db: otherDb } = openServerDb(other)
      const source = await makeSource(join(sources, 'wake.mp4'), { width: 320, height: 180, durationSec: 2 })
      // The worker has looked once, found nothing, and sleeps for `pollMs`.
      await eventually(() => /worker \S+ ready/.test(other.output()), 30_000)
      await Bun.sleep(500)
      const titleId = await createMovie(otherDb, user.userId)
      const startedMs = Date.now()
      const answer = await send(user, 'PUT', `/api/v1/titles/${titleId}/video?filename=wake.mp4`, { body: Bun.file(source) })
      expect(answer.status).toBe(202)
      const { id } = (await answer.json()).media
      expect((await waitForMedia(otherDb, id, isFinished, pollMs / 2)).status).toBe('ready')
      expect(Date.now() - startedMs).toBeLessThan(pollMs / 2)
      client.close()
    } finally {
      await other.stop()
    }
  })
})
