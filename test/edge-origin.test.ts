// What the origin tells caches and players on other sites (README "More machines", edge
// caches): Cache-Control per kind of file, no Vary on anything a cache cannot key on, and
// CORS for /media/* when server.ini CorsOrigins allows it (none by default).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError } from '../src/config'
import { parseConfig } from '../src/config/ini'
import { type TestServer, runServerOnce, startServer, writeIni } from './helpers/server'

const player = 'https://player.example'
const files: Record<string, string> = {
  'master.m3u8': '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000\nstream_0.m3u8\n',
  'stream_0.m3u8': '#EXTM3U\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXTINF:6.0,\nstream_0/data0000.ts\n#EXT-X-ENDLIST\n',
  'stream_1.m3u8': '#EXTM3U\n#EXT-X-PLAYLIST-TYPE:EVENT\n#EXTINF:6.0,\nstream_1/data0000.ts\n',
  'stream_0/data0000.ts': 'G'.repeat(4000),
  'stream_1/data0000.ts': 'G'.repeat(2000),
}

function writeMediaFolder(server: TestServer) {
  for (const [name, content] of Object.entries(files)) {
    const path = join(server.mediaDir, '3', name)
    mkdirSync(join(path, '..'), { recursive: true })
    writeFileSync(path, content)
  }
}

let listed: TestServer
let anyOrigin: TestServer
let closed: TestServer

beforeAll(async () => {
  ;[listed, anyOrigin, closed] = await Promise.all([
    startServer({ ini: { CorsOrigins: `${player}, http://localhost:3000` } }),
    startServer({ ini: { CorsOrigins: '*' } }),
    startServer(),
  ])
  for (const server of [listed, anyOrigin, closed]) writeMediaFolder(server)
})
afterAll(() => Promise.all([listed, anyOrigin, closed].map(server => server.stop())))

const get = (server: TestServer, path: string, headers: Record<string, string> = {}, method = 'GET') =>
  fetch(`${server.url}${path}`, { method, headers })

describe('what the origin tells caches', () => {
  test('a growing media playlist is short-lived, a finished one longer, the master revalidated, segments immutable', async () => {
    const cacheControl = async (path: string) => (await get(closed, path)).headers.get('cache-control')
    expect(await cacheControl('/media/3/stream_1.m3u8')).toBe('public, max-age=2')
    expect(await cacheControl('/media/3/stream_0.m3u8')).toBe('public, max-age=60')
    expect(await cacheControl('/media/3/master.m3u8')).toBe('public, no-cache')
    expect(await cacheControl('/media/3/stream_0/data0000.ts')).toBe('public, max-age=31536000, immutable')
  })

  test('a segment asked for with cookies and a token varies on nothing of theirs and sets no cookie', async () => {
    for (const server of [closed, anyOrigin, listed]) {
      const answer = await get(server, '/media/3/stream_0/data0000.ts', {
        cookie: 'mp_session=abc; csrf=def',
        authorization: 'Bearer xyz',
      })
      expect(answer.status).toBe(200)
      expect(answer.headers.get('vary') ?? '').not.toMatch(/cookie|authorization|\*/i)
      expect(answer.headers.getSetCookie()).toEqual([])
    }
  })
})

describe('CORS for players on another site', () => {
  test('by default no answer allows another origin, and none varies', async () => {
    const answer = await get(closed, '/media/3/stream_0/data0000.ts', { origin: player })
    expect(answer.headers.get('access-control-allow-origin')).toBeNull()
    expect(answer.headers.get('vary')).toBeNull()
    const preflight = await get(
      closed,
      '/media/3/stream_0/data0000.ts',
      { origin: player, 'access-control-request-method': 'GET' },
      'OPTIONS',
    )
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull()
  })

  test('a listed origin may read segments and playlists, ranges and validators included; others may not', async () => {
    for (const path of ['/media/3/stream_0/data0000.ts', '/media/3/stream_1.m3u8', '/media/3/master.m3u8', '/media/3/nothing.ts']) {
      const allowed = await get(listed, path, { origin: player })
      expect({ path, allow: allowed.headers.get('access-control-allow-origin') }).toEqual({ path, allow: player })
      expect(allowed.headers.get('access-control-expose-headers')).toBe('Content-Range, Accept-Ranges, ETag')
      expect(allowed.headers.get('access-control-allow-credentials')).toBeNull()
      expect(allowed.headers.get('vary')).toBe('Origin')
      const other = await get(listed, path, { origin: 'https://elsewhere.example' })
      expect(other.headers.get('access-control-allow-origin')).toBeNull()
      expect(other.headers.get('vary')).toBe('Origin')
    }
    // No Origin (the site's own player, curl): the answer still says it depends on Origin.
    expect((await get(listed, '/media/3/stream_0/data0000.ts')).headers.get('vary')).toBe('Origin')
    const range = await get(listed, '/media/3/stream_0/data0000.ts', { origin: 'http://localhost:3000', range: 'bytes=0-9' })
    expect(range.status).toBe(206)
    expect(range.headers.get('access-control-allow-origin')).toBe('http://localhost:3000')
  })

  test('the preflight of a range request from a listed origin is answered', async () => {
    const preflight = await get(
      listed,
      '/media/3/stream_0/data0000.ts',
      { origin: player, 'access-control-request-method': 'GET', 'access-control-request-headers': 'range' },
      'OPTIONS',
    )
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe(player)
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, HEAD')
    expect(preflight.headers.get('access-control-allow-headers')).toBe('Range')
    expect(Number(preflight.headers.get('access-control-max-age'))).toBeGreaterThan(0)
    const refused = await get(
      listed,
      '/media/3/stream_0/data0000.ts',
      { origin: 'https://elsewhere.example', 'access-control-request-method': 'GET' },
      'OPTIONS',
    )
    expect(refused.headers.get('access-control-allow-origin')).toBeNull()
  })

  test('CorsOrigins=* allows every origin without making caches keep a copy per origin', async () => {
    const answer = await get(anyOrigin, '/media/3/stream_0/data0000.ts', { origin: 'https://anyone.example' })
    expect(answer.headers.get('access-control-allow-origin')).toBe('*')
    expect(answer.headers.get('vary')).toBeNull()
    const preflight = await get(
      anyOrigin,
      '/media/3/stream_1.m3u8',
      { origin: 'https://anyone.example', 'access-control-request-method': 'GET' },
      'OPTIONS',
    )
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*')
  })
})

describe('CorsOrigins in server.ini', () => {
  const dir = mkdtempSync(join(tmpdir(), 'moviepoint-cors-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const parse = (value: string) => parseConfig(`MediaDataPath="${join(dir, 'media')}"\nCorsOrigins="${value}"\n`, join(dir, 'server.ini'))

  test('reads a list of origins, or *', () => {
    expect(parse('https://a.example, http://localhost:3000').corsOrigins).toEqual({
      kind: 'listed',
      origins: new Set(['https://a.example', 'http://localhost:3000']),
    })
    expect(parse('*').corsOrigins).toEqual({ kind: 'any' })
    expect(parse('').corsOrigins).toEqual({ kind: 'none' })
  })

  for (const value of ['player.example', 'https://a.example/path', 'ftp://a.example', 'https://A.example', '*, https://a.example']) {
    test(`refuses ${value}`, () => {
      expect(() => parse(value)).toThrow(ConfigError)
      expect(() => parse(value)).toThrow('CorsOrigins')
    })
  }

  test('a bad value stops start-up with one line naming the key', async () => {
    const iniDir = join(dir, 'bad-ini')
    mkdirSync(iniDir)
    const { exitCode, stderr } = await runServerOnce(writeIni(iniDir, { ini: { CorsOrigins: 'player.example' } }))
    expect(exitCode).toBe(1)
    expect(stderr.trim().split('\n')).toHaveLength(1)
    expect(stderr).toContain('CorsOrigins')
  })
})
