// Contract tests of streaming (shared/api.md, Media; shared/hls-layout.md): the files of
// a media folder under /media/:mediaId/, and nothing else, ever.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdirSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { randomVideo } from './helpers/media'
import { rawRequest } from './helpers/raw-http'
import { type TestServer, startServer } from './helpers/server'

let server: TestServer
let folder: string
const segment = randomVideo(1_500_000)
const size = segment.length
const finishedPlaylist = '#EXTM3U\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXTINF:6.0,\nstream_0/data0000.ts\n#EXT-X-ENDLIST\n'
const growingPlaylist = '#EXTM3U\n#EXT-X-PLAYLIST-TYPE:EVENT\n#EXTINF:6.0,\nstream_1/data0000.ts\n'
const oneHourAgo = new Date(Date.now() - 3600_000)

function write(relative: string, content: string | Uint8Array) {
  const path = join(folder, relative)
  mkdirSync(join(path, '..'), { recursive: true })
  writeFileSync(path, content)
  utimesSync(path, oneHourAgo, oneHourAgo)
}

beforeAll(async () => {
  server = await startServer()
  // Files on disk are the truth for streaming: a folder as the worker leaves it.
  folder = join(server.mediaDir, '7')
  write('master.m3u8', '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000\nstream_0.m3u8\n')
  write('stream_0.m3u8', finishedPlaylist)
  write('stream_1.m3u8', growingPlaylist)
  write('stream_0/data0000.ts', segment)
  write('audio_en.m3u8', finishedPlaylist)
  write('audio_en/data0001.ts', 'audio')
  write('subs_ru.m3u8', finishedPlaylist)
  write('subs/ru.vtt', 'WEBVTT\n\n00:00.000 --> 00:01.000\nПривет\n')
  write('poster.jpg', new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))
  // What must never be served: the source, temporary files, worker scratch folders,
  // symlinks out of the folder, other folders of the data path.
  write('source.mp4', 'SOURCE')
  write('master.m3u8.tmp', 'TEMP')
  write('stream_0/data0001.ts.tmp', 'TEMP')
  write('.work/data0000.ts', 'SCRATCH')
  const outside = join(server.dir, 'outside')
  mkdirSync(outside)
  writeFileSync(join(outside, 'data0000.ts'), 'OUTSIDE')
  writeFileSync(join(outside, 'master.m3u8'), 'OUTSIDE')
  symlinkSync('/etc/passwd', join(folder, 'stream_0', 'data0002.ts'))
  symlinkSync('/etc/passwd', join(folder, 'poster2.jpg'))
  symlinkSync(outside, join(folder, 'stream_4'))
  symlinkSync(outside, join(server.mediaDir, '8'))
  mkdirSync(join(server.mediaDir, '.uploads'), { recursive: true })
  writeFileSync(join(server.mediaDir, '.uploads', '9-0123.ts'), 'PARTIAL')
})
afterAll(() => server.stop())

const get = (path: string, headers: Record<string, string> = {}, method = 'GET') => fetch(`${server.url}${path}`, { method, headers })
const segmentPath = '/media/7/stream_0/data0000.ts'

describe('serving the layout', () => {
  test('each kind of file has its content type and cache policy', async () => {
    const expectations = [
      ['/media/7/master.m3u8', 'application/vnd.apple.mpegurl', 'public, no-cache'],
      ['/media/7/stream_0.m3u8', 'application/vnd.apple.mpegurl', 'public, max-age=60'],
      ['/media/7/stream_1.m3u8', 'application/vnd.apple.mpegurl', 'public, max-age=2'],
      ['/media/7/audio_en.m3u8', 'application/vnd.apple.mpegurl', 'public, max-age=60'],
      ['/media/7/subs_ru.m3u8', 'application/vnd.apple.mpegurl', 'public, max-age=60'],
      [segmentPath, 'video/mp2t', 'public, max-age=31536000, immutable'],
      ['/media/7/audio_en/data0001.ts', 'video/mp2t', 'public, max-age=31536000, immutable'],
      ['/media/7/subs/ru.vtt', 'text/vtt; charset=utf-8', 'public, max-age=31536000, immutable'],
      ['/media/7/poster.jpg', 'image/jpeg', 'public, max-age=31536000, immutable'],
    ]
    for (const [path, type, cache] of expectations) {
      const answer = await get(path)
      expect({ path, status: answer.status }).toEqual({ path, status: 200 })
      expect({ path, type: answer.headers.get('content-type'), cache: answer.headers.get('cache-control') }).toEqual({
        path,
        type,
        cache,
      })
      expect(answer.headers.get('accept-ranges')).toBe('bytes')
      expect(answer.headers.get('etag')).toMatch(/^"[^"]+"$/)
      expect(answer.headers.get('last-modified')).toBe(oneHourAgo.toUTCString())
    }
  })

  test('a segment comes back whole and byte-exact', async () => {
    const answer = await get(segmentPath)
    expect(answer.status).toBe(200)
    expect(answer.headers.get('content-length')).toBe(String(size))
    expect(new Uint8Array(await answer.arrayBuffer())).toEqual(segment)
  })

  test('HEAD answers the headers without a body', async () => {
    const answer = await get(segmentPath, {}, 'HEAD')
    expect(answer.status).toBe(200)
    expect(answer.headers.get('content-length')).toBe(String(size))
    expect(answer.headers.get('content-type')).toBe('video/mp2t')
    expect((await answer.arrayBuffer()).byteLength).toBe(0)
  })

  test('a segment removed right after being served is a 404 at once', async () => {
    write('stream_0/data0005.ts', segment)
    expect((await get('/media/7/stream_0/data0005.ts')).status).toBe(200)
    rmSync(join(folder, 'stream_0/data0005.ts'))
    const answer = await get('/media/7/stream_0/data0005.ts')
    expect(answer.status).toBe(404)
    expect((await answer.json()).error.code).toBe('media_file_not_found')
  })

  test('a segment written anew under its name (a new attempt) is served with new validators', async () => {
    write('stream_0/data0006.ts', segment)
    const first = await get('/media/7/stream_0/data0006.ts')
    rmSync(join(folder, 'stream_0/data0006.ts'))
    const again = segment.subarray(0, 1000)
    write('stream_0/data0006.ts', again)
    const second = await get('/media/7/stream_0/data0006.ts')
    expect(second.headers.get('etag')).not.toBe(first.headers.get('etag'))
    expect(new Uint8Array(await second.arrayBuffer())).toEqual(new Uint8Array(again))
  })

  test('a small file comes back byte-exact, and its replacement (renamed over it) is served at once', async () => {
    // What the server remembers about a file (its headers) must follow the file the name
    // points to now, not the one it served first.
    const first = segment.subarray(0, 200_000)
    write('audio_en/data0002.ts', first)
    expect(new Uint8Array(await (await get('/media/7/audio_en/data0002.ts')).arrayBuffer())).toEqual(first)
    const second = segment.subarray(200_000, 400_000)
    write('audio_en/data0002.ts.new', second)
    renameSync(join(folder, 'audio_en/data0002.ts.new'), join(folder, 'audio_en/data0002.ts'))
    const again = await get('/media/7/audio_en/data0002.ts')
    expect(new Uint8Array(await again.arrayBuffer())).toEqual(second)
    const part = await get('/media/7/audio_en/data0002.ts', { range: 'bytes=1000-1999' })
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(second.subarray(1000, 2000))
  })

  test('a playlist that is replaced gets a new ETag', async () => {
    const before = (await get('/media/7/stream_1.m3u8')).headers.get('etag')
    write('stream_1.m3u8', `${growingPlaylist}#EXTINF:6.0,\nstream_1/data0001.ts\n`)
    const after = await get('/media/7/stream_1.m3u8')
    expect(after.headers.get('etag')).not.toBe(before)
    expect(await after.text()).toContain('data0001.ts')
  })
})

describe('range requests', () => {
  const range = async (value: string, extra: Record<string, string> = {}) => {
    const answer = await get(segmentPath, { range: value, ...extra })
    return { answer, bytes: new Uint8Array(await answer.arrayBuffer()) }
  }

  test('a single range is a 206 with Content-Range', async () => {
    const { answer, bytes } = await range('bytes=100-1123')
    expect(answer.status).toBe(206)
    expect(answer.headers.get('content-range')).toBe(`bytes 100-1123/${size}`)
    expect(answer.headers.get('content-length')).toBe('1024')
    expect(bytes).toEqual(segment.subarray(100, 1124))
  })

  test('a range of 1 MiB or more (sent with sendfile) and a smaller one (from memory) are both byte-exact', async () => {
    for (const [start, end] of [
      [0, 1_199_999],
      [300_001, 300_001 + 1024 * 1024 - 1],
      [700_000, 765_535],
      [size - 1, size - 1],
    ]) {
      const { answer, bytes } = await range(`bytes=${start}-${end}`)
      expect({ start, status: answer.status, length: bytes.length }).toEqual({ start, status: 206, length: end + 1 - start })
      expect(bytes).toEqual(segment.subarray(start, end + 1))
    }
  })

  test('suffix and open ranges', async () => {
    const suffix = await range('bytes=-500')
    expect(suffix.answer.status).toBe(206)
    expect(suffix.answer.headers.get('content-range')).toBe(`bytes ${size - 500}-${size - 1}/${size}`)
    expect(suffix.bytes).toEqual(segment.subarray(size - 500))
    const open = await range(`bytes=${size - 10}-`)
    expect(open.answer.headers.get('content-range')).toBe(`bytes ${size - 10}-${size - 1}/${size}`)
    expect(open.bytes).toEqual(segment.subarray(size - 10))
    const beyond = await range('bytes=0-99999999999')
    expect(beyond.answer.headers.get('content-range')).toBe(`bytes 0-${size - 1}/${size}`)
  })

  test('a range past the end is a 416 naming the length', async () => {
    for (const value of [`bytes=${size}-`, `bytes=${size + 5}-${size + 10}`, 'bytes=-0']) {
      const { answer } = await range(value)
      expect({ value, status: answer.status }).toEqual({ value, status: 416 })
      expect(answer.headers.get('content-range')).toBe(`bytes */${size}`)
    }
  })

  test('several ranges, or a malformed one, get the whole file', async () => {
    for (const value of ['bytes=0-9,20-29', 'bytes=9-1', 'items=0-9', 'bytes=abc']) {
      const { answer, bytes } = await range(value)
      expect({ value, status: answer.status }).toEqual({ value, status: 200 })
      expect(bytes.length).toBe(size)
    }
  })

  test('HEAD with a range describes the part', async () => {
    const answer = await get(segmentPath, { range: 'bytes=0-9' }, 'HEAD')
    expect(answer.status).toBe(206)
    expect(answer.headers.get('content-range')).toBe(`bytes 0-9/${size}`)
  })

  test('If-Range: the same ETag or date keeps the range, anything else gets the whole file', async () => {
    const { etag, lastModified } = await validators()
    expect((await range('bytes=0-9', { 'if-range': etag })).answer.status).toBe(206)
    expect((await range('bytes=0-9', { 'if-range': lastModified })).answer.status).toBe(206)
    expect((await range('bytes=0-9', { 'if-range': '"something-else"' })).answer.status).toBe(200)
    expect((await range('bytes=0-9', { 'if-range': new Date(0).toUTCString() })).answer.status).toBe(200)
  })
})

async function validators() {
  const answer = await get(segmentPath, {}, 'HEAD')
  return { etag: answer.headers.get('etag') as string, lastModified: answer.headers.get('last-modified') as string }
}

describe('conditional requests', () => {
  test('If-None-Match with the current ETag is a 304 with the validators', async () => {
    const { etag } = await validators()
    const answer = await get(segmentPath, { 'if-none-match': etag })
    expect(answer.status).toBe(304)
    expect(answer.headers.get('etag')).toBe(etag)
    expect(answer.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect((await answer.arrayBuffer()).byteLength).toBe(0)
    expect((await get(segmentPath, { 'if-none-match': `"other", ${etag}` })).status).toBe(304)
    expect((await get(segmentPath, { 'if-none-match': '"other"' })).status).toBe(200)
  })

  test('If-Modified-Since answers 304 unless the file is newer', async () => {
    const { lastModified } = await validators()
    expect((await get(segmentPath, { 'if-modified-since': lastModified })).status).toBe(304)
    expect((await get(segmentPath, { 'if-modified-since': new Date().toUTCString() })).status).toBe(304)
    expect((await get(segmentPath, { 'if-modified-since': new Date(Date.now() - 7200_000).toUTCString() })).status).toBe(200)
    // If-None-Match decides when both are sent.
    expect((await get(segmentPath, { 'if-none-match': '"other"', 'if-modified-since': lastModified })).status).toBe(200)
  })
})

describe('nothing outside the layout', () => {
  const refused = [
    '/media/7/..%2f..%2f..%2f..%2fetc%2fpasswd',
    '/media/7/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '/media/7/%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
    '/media/7/stream_0/..%5c..%5c..%5c..%5cetc%5cpasswd',
    '/media/7/stream_0\\..\\..\\..\\..\\etc\\passwd',
    '/media/7/../../../../../etc/passwd',
    '/media/7/stream_0/../../../../../etc/passwd',
    '/media/..%2f..%2f..%2fetc/passwd',
    '/media/7/master.m3u8%00.ts',
    '/media/7/stream_0/data0000.ts%00',
    '/media/7/stream_0/data0002.ts',
    '/media/7/poster2.jpg',
    '/media/7/stream_4/data0000.ts',
    '/media/8/master.m3u8',
    '/media/7/source.mp4',
    '/media/7/master.m3u8.tmp',
    '/media/7/stream_0/data0001.ts.tmp',
    '/media/7/.work/data0000.ts',
    '/media/.uploads/9-0123.ts',
    '/media/0/master.m3u8',
    '/media/07/master.m3u8',
    '/media/-7/master.m3u8',
    '/media/99999999999999999999/master.m3u8',
    '/media/7/STREAM_0.m3u8',
    '/media/7/stream_0/data0000.TS',
    '/media/7/',
    '/media/7/stream_0/',
    '/media/12345/master.m3u8',
  ]

  test.each(refused)('%s is a 404 and reveals nothing', async path => {
    const answer = await rawRequest(server.url, [`GET ${path} HTTP/1.1`])
    expect(answer.status).toBe(404)
    expect(answer.body).not.toContain('root:')
    expect(answer.body).not.toMatch(/OUTSIDE|SOURCE|TEMP|SCRATCH|PARTIAL/)
  })

  test('only GET and HEAD are answered', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const answer = await get(segmentPath, {}, method)
      expect({ method, status: answer.status }).toEqual({ method, status: 404 })
    }
    expect((await get(segmentPath)).status).toBe(200)
  })

  test('the files behind those names exist, so only the rules keep them out', async () => {
    expect((await get('/media/7/stream_0/data0000.ts')).status).toBe(200)
    expect(await Bun.file(join(folder, 'stream_0', 'data0002.ts')).text()).toContain('root:')
    expect(await Bun.file(join(server.mediaDir, '8', 'master.m3u8')).text()).toBe('OUTSIDE')
  })
})
