// POST /api/v1/media/:id/subtitles against a real server with a really transcoded video.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client, signUp } from './helpers/client'
import { type TestServer, startServer } from './helpers/server'
import {
  createMovie,
  enqueueSourceFile,
  isFinished,
  makeSource,
  mediaRow,
  openServerDb,
  type TestDb,
  waitForMedia,
} from './helpers/transcode'
import { parseMasterPlaylist } from './helpers/playlists'

setDefaultTimeout(120_000)

const sources = mkdtempSync(join(tmpdir(), 'moviepoint-subs-'))
let server: TestServer
let db: TestDb
let admin: Client & { userId: number }
let owner: Client & { userId: number }
let other: Client & { userId: number }
let mediaId: number

beforeAll(async () => {
  server = await startServer({ admins: '1\n', ini: { Workers: 1 }, env: { MOVIEPOINT_X264_PRESET: 'superfast' } })
  admin = await signUp(server.url)
  owner = await signUp(server.url)
  other = await signUp(server.url)
  const opened = openServerDb(server)
  db = opened.db
  const source = await makeSource(join(sources, 'film.mp4'), { width: 320, height: 180, durationSec: 4 })
  mediaId = await enqueueSourceFile(server, db, {
    titleId: await createMovie(db, owner.userId),
    ownerId: owner.userId,
    sourcePath: source,
  })
  expect((await waitForMedia(db, mediaId, isFinished)).status).toBe('ready')
}, 120_000)
afterAll(async () => {
  await server.stop()
  rmSync(sources, { recursive: true, force: true })
})

function form(file: { bytes: string | Uint8Array<ArrayBuffer>; name: string } | null, lang: string | null): FormData {
  const data = new FormData()
  if (file) data.append('file', new File([file.bytes], file.name))
  if (lang !== null) data.append('lang', lang)
  return data
}

const upload = (
  client: Client,
  id: number,
  file: { bytes: string | Uint8Array<ArrayBuffer>; name: string } | null,
  lang: string | null,
) => client.post(`/api/v1/media/${id}/subtitles`, form(file, lang))

const served = async (id: number, name: string) => {
  const answer = await fetch(`${server.url}/media/${id}/${name}`)
  expect({ name, status: answer.status }).toEqual({ name, status: 200 })
  return answer.text()
}

const srt = (text: string) => `1\r\n00:00:00,500 --> 00:00:02,000\r\n${text}\r\n\r\n2\r\n00:00:02,500 --> 00:00:03,500\r\nКонец\r\n\r\n`

function cp1251(text: string): Uint8Array<ArrayBuffer> {
  // А..я are 0xC0..0xFF in CP1251; ASCII stays as is.
  return new Uint8Array([...text].map(char => (char.charCodeAt(0) < 0x80 ? char.charCodeAt(0) : char.charCodeAt(0) - 0x410 + 0xc0)))
}

function utf16(text: string, endian: 'le' | 'be'): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(2 + text.length * 2)
  bytes.set(endian === 'le' ? [0xff, 0xfe] : [0xfe, 0xff])
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    bytes.set(endian === 'le' ? [code & 0xff, code >> 8] : [code >> 8, code & 0xff], 2 + i * 2)
  }
  return bytes
}

describe('adding a subtitle track', () => {
  test('markup that is not WebVTT reaches viewers as text; the master gains the track', async () => {
    const answer = await upload(
      owner,
      mediaId,
      {
        bytes: srt('<b>Bold</b> <script>alert(1)</script> <img src=x onerror=alert(2)> & <font color="red">red</font>'),
        name: 'film.en.srt',
      },
      'en',
    )
    expect(answer.status).toBe(201)
    expect(answer.body.track).toEqual({ lang: 'en', name: 'English' })
    expect(answer.body.media.subtitles).toEqual([{ lang: 'en', name: 'English' }])
    const vtt = await served(mediaId, 'subs/en.vtt')
    expect(vtt).toContain(
      '00:00:00.500 --> 00:00:02.000\n<b>Bold</b> &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt; &amp; red\n',
    )
    expect(vtt).not.toContain('<script')
    expect(vtt).not.toContain('<img')
    const master = parseMasterPlaylist(await served(mediaId, 'master.m3u8'))
    expect(master.media.find(m => m.TYPE === 'SUBTITLES')).toEqual({
      TYPE: 'SUBTITLES',
      'GROUP-ID': 'subs',
      LANGUAGE: 'en',
      NAME: 'English',
      DEFAULT: 'NO',
      AUTOSELECT: 'YES',
      FORCED: 'NO',
      URI: 'subs_en.m3u8',
    })
    expect(master.variants.every(v => v.attributes.SUBTITLES === 'subs')).toBe(true)
    expect(await served(mediaId, 'subs_en.m3u8')).toMatch(/#EXTINF:4\.0\d+,\nsubs\/en\.vtt\?v=[0-9a-f]+\n#EXT-X-ENDLIST/)
  })

  test('CP1251, UTF-16 (both byte orders) and UTF-8 with a BOM are decoded right', async () => {
    const text = srt('Привет, мир! Съешь же ещё этих мягких французских булок.')
    const encodings: [string, Uint8Array<ArrayBuffer>][] = [
      ['ru', cp1251(text.replace('ё', 'е'))],
      ['uk', utf16(text, 'le')],
      ['be', utf16(text, 'be')],
      ['bg', new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)])],
    ]
    for (const [lang, bytes] of encodings) {
      expect((await upload(owner, mediaId, { bytes, name: `film.${lang}.srt` }, lang)).status).toBe(201)
      const vtt = await served(mediaId, `subs/${lang}.vtt`)
      expect({ lang, hasText: vtt.includes('Привет, мир! Съешь же ещ') && vtt.includes('Конец') }).toEqual({ lang, hasText: true })
    }
    const names = (await mediaRow(db, mediaId)).subtitles.map(track => track.name)
    expect(names).toEqual(['English', 'Русский', 'Українська', 'Беларуская', 'Български'])
  })

  test('a WebVTT file keeps its cue positions and voice tags; a second file of a language replaces the first', async () => {
    const before = await served(mediaId, 'subs_en.m3u8')
    const vtt =
      'WEBVTT\n\nSTYLE\n::cue { color: red }\n\nNOTE made by hand\n\nintro\n00:01.000 --> 00:02.000 align:start line:10%\n<v Narrator>Once upon a time</v>\n'
    expect((await upload(owner, mediaId, { bytes: vtt, name: 'intro.VTT' }, 'EN')).status).toBe(201)
    const servedVtt = await served(mediaId, 'subs/en.vtt')
    expect(servedVtt).toContain('00:00:01.000 --> 00:00:02.000 line:10% align:start\n<v Narrator>Once upon a time</v>')
    expect(servedVtt).not.toContain('STYLE')
    expect((await mediaRow(db, mediaId)).subtitles.filter(track => track.lang === 'en')).toHaveLength(1)
    // Served .vtt files are cached for good: the playlist points at the new version.
    expect(await served(mediaId, 'subs_en.m3u8')).not.toBe(before)
  })

  test('the owner of the title or an admin may add subtitles; others may not', async () => {
    const file = { bytes: srt('hi'), name: 'a.srt' }
    expect((await upload(new Client(server.url), mediaId, file, 'de')).status).toBe(401)
    const refused = await upload(other, mediaId, file, 'de')
    expect(refused.status).toBe(403)
    expect(refused.body.error.code).toBe('forbidden')
    expect((await upload(admin, mediaId, file, 'de')).status).toBe(201)
  })
})

describe('refused subtitle uploads', () => {
  const expectError = async (answer: Promise<{ status: number; body: { error?: { code: string } } }>, status: number, code: string) => {
    const { status: actual, body } = await answer
    expect({ status: actual, code: body?.error?.code }).toEqual({ status, code })
  }

  test('bad language, missing fields, wrong kind of file, too large, no cues', async () => {
    const good = { bytes: srt('x'), name: 'a.srt' }
    await expectError(upload(owner, mediaId, good, 'xx'), 400, 'invalid_input')
    await expectError(upload(owner, mediaId, good, 'eng'), 400, 'invalid_input')
    await expectError(upload(owner, mediaId, good, null), 400, 'invalid_input')
    await expectError(upload(owner, mediaId, null, 'en'), 400, 'invalid_input')
    await expectError(upload(owner, mediaId, { bytes: srt('x'), name: 'a.txt' }, 'en'), 415, 'unsupported_media_type')
    const huge = new Uint8Array(2 * 1024 * 1024 + 1).fill(0x41)
    await expectError(upload(owner, mediaId, { bytes: huge, name: 'big.srt' }, 'en'), 413, 'payload_too_large')
    await expectError(upload(owner, mediaId, { bytes: 'just some words', name: 'a.srt' }, 'en'), 400, 'invalid_subtitles')
    const error = (await upload(owner, mediaId, good, 'xx')).body.error.message
    expect(error).toContain('lang')
  })

  test('no such media is a 404; a failed one is a 409', async () => {
    await expectError(upload(owner, 999_999, { bytes: srt('x'), name: 'a.srt' }, 'en'), 404, 'media_not_found')
    const broken = join(sources, 'broken.mp4')
    await Bun.write(broken, 'not a video at all')
    const failedId = await enqueueSourceFile(server, db, {
      titleId: await createMovie(db, owner.userId),
      ownerId: owner.userId,
      sourcePath: broken,
    })
    expect((await waitForMedia(db, failedId, isFinished)).status).toBe('failed')
    await expectError(upload(owner, failedId, { bytes: srt('x'), name: 'a.srt' }, 'en'), 409, 'media_not_ready')
  })
})

describe('subtitles added while the video is being transcoded', () => {
  test('survive the worker writing the master, next to the tracks from the file', async () => {
    const source = await makeSource(join(sources, 'busy.mkv'), {
      width: 1280,
      height: 720,
      durationSec: 10,
      subtitles: { rus: '1\n00:00:01,000 --> 00:00:02,000\nИз файла\n\n' },
    })
    const busyId = await enqueueSourceFile(server, db, {
      titleId: await createMovie(db, owner.userId),
      ownerId: owner.userId,
      sourcePath: source,
    })
    await waitForMedia(db, busyId, row => row?.status === 'processing' && row.durationSec !== null)
    const answer = await upload(owner, busyId, { bytes: srt('Added early'), name: 'early.srt' }, 'de')
    expect(answer.status).toBe(201)
    expect(answer.body.media.status).toBe('processing')

    const row = await waitForMedia(db, busyId, isFinished)
    expect(row.status).toBe('ready')
    expect(row.subtitles).toEqual([
      { lang: 'de', name: 'Deutsch' },
      { lang: 'ru', name: 'Русский' },
    ])
    const master = parseMasterPlaylist(await served(busyId, 'master.m3u8'))
    expect(master.media.filter(m => m.TYPE === 'SUBTITLES').map(m => m.URI)).toEqual(['subs_de.m3u8', 'subs_ru.m3u8'])
    expect(await served(busyId, 'subs/de.vtt')).toContain('Added early')
    expect(await served(busyId, 'subs/ru.vtt')).toContain('Из файла')
  })
})
