// Edge caches with a real nginx (deploy/edge/moviepoint-edge.conf, README "More machines"):
// one origin and two edges on loopback ports. Viewers walk a video like a player (master →
// media playlists → every segment and subtitle file) and the edges' access logs count what
// reached the origin. Needs Debian's nginx (`.ci/setup --tests` installs it).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { addMedia } from './helpers/catalogue'
import { Client, signUp } from './helpers/client'
import { type Edge, nginxPath, startEdge } from './helpers/edge'
import { eventually } from './helpers/media'
import { parseMediaPlaylist } from '../src/hls/playlists'
import { parseMasterPlaylist } from './helpers/playlists'
import { type TestServer, startServer } from './helpers/server'
import { createMovie, enqueueSourceFile, isFinished, makeSource, openServerDb, waitForMedia } from './helpers/transcode'

if (!nginxPath) console.log('test/edge.test.ts: skipped, nginx is not installed (apt-get install nginx, or .ci/setup --tests)')

const player = 'https://player.example'
let origin: TestServer
let edge1: Edge
let edge2: Edge
let owner: Client & { userId: number }
let videoId: number
let sources: string

// What a player asks for, in its order: the master, each media playlist, each file they list.
async function watch(edgeUrl: string, mediaId: number, headers: Record<string, string> = {}): Promise<string[]> {
  const base = `/media/${mediaId}/`
  const asked: string[] = []
  const read = async (name: string) => {
    const answer = await fetch(`${edgeUrl}${base}${name}`, { headers })
    expect({ name, status: answer.status }).toEqual({ name, status: 200 })
    expect(answer.headers.getSetCookie()).toEqual([])
    const bytes = new Uint8Array(await answer.arrayBuffer())
    expect({
      name,
      same: Buffer.compare(bytes, readFileSync(join(origin.mediaDir, String(mediaId), name.replace(/\?.*/, '')))) === 0,
    }).toEqual({ name, same: true })
    asked.push(`${base}${name}`)
    return new TextDecoder().decode(bytes)
  }
  const master = parseMasterPlaylist(await read('master.m3u8'))
  const playlists = [...master.variants.map(variant => variant.uri), ...master.media.map(media => media.URI).filter(Boolean)]
  for (const playlist of playlists) {
    const files = (await read(playlist)).split('\n').filter(line => line && !line.startsWith('#'))
    for (const file of files) await read(file)
  }
  return asked
}

// Origin fetches of one media's files (the master is never kept at the edge: left out).
function fetchesOf(edge: Edge, mediaId: number): string[] {
  return edge
    .originFetches()
    .map(fetch => fetch.path)
    .filter(path => path.startsWith(`/media/${mediaId}/`) && !path.endsWith('/master.m3u8'))
}

// nginx writes a request's log line as it finishes sending it: give it that moment.
const settle = () => Bun.sleep(150)

const countOf = (paths: string[]) =>
  paths.reduce((counts, path) => counts.set(path, (counts.get(path) ?? 0) + 1), new Map<string, number>())

describe.skipIf(!nginxPath)('edge caches in front of the origin', () => {
  beforeAll(async () => {
    origin = await startServer({ ini: { Workers: 1, CorsOrigins: player }, env: { MOVIEPOINT_X264_PRESET: 'superfast' } })
    ;[edge1, edge2] = await Promise.all([startEdge(origin.url), startEdge(origin.url)])
    owner = await signUp(origin.url)
    sources = mkdtempSync(join(tmpdir(), 'moviepoint-edge-src-'))
    const { db, client } = openServerDb(origin)
    try {
      const source = await makeSource(join(sources, 'clip.mkv'), {
        width: 640,
        height: 360,
        durationSec: 8,
        subtitles: { eng: '1\n00:00:00,500 --> 00:00:02,000\nHello\n' },
      })
      const titleId = await createMovie(db, owner.userId)
      videoId = await enqueueSourceFile(origin, db, { titleId, ownerId: owner.userId, sourcePath: source })
      expect((await waitForMedia(db, videoId, isFinished)).status).toBe('ready')
    } finally {
      client.close()
    }
  }, 120_000)
  afterAll(async () => {
    await Promise.all([edge1, edge2].filter(Boolean).map(edge => edge.stop()))
    await origin?.stop()
    if (sources) rmSync(sources, { recursive: true, force: true })
  })

  test('a first viewer through edge 1 plays the whole video; each file reaches the origin once', async () => {
    const asked = await watch(edge1.url, videoId)
    const files = asked.filter(path => !path.endsWith('/master.m3u8'))
    expect(files.filter(path => path.endsWith('.ts')).length).toBeGreaterThanOrEqual(4)
    expect(files.some(path => /\.vtt\?v=/.test(path))).toBe(true)
    await settle()
    expect(fetchesOf(edge1, videoId).sort()).toEqual([...files].sort())
    // Kept connections to the origin: every fetch answered on its first try.
    expect(edge1.originFetches().filter(fetch => fetch.attempts > 1)).toEqual([])
  })

  test('a second viewer through edge 1, with other cookies and a token, reaches the origin for no file', async () => {
    const before = fetchesOf(edge1, videoId).length
    await watch(edge1.url, videoId, { cookie: 'mp_session=someone-else', authorization: 'Bearer another' })
    await settle()
    expect(fetchesOf(edge1, videoId).slice(before)).toEqual([])
  })

  test('ten viewers starting at once through edge 2 cost the origin exactly one fetch per file', async () => {
    const viewers = await Promise.all(Array.from({ length: 10 }, () => watch(edge2.url, videoId)))
    await settle()
    const files = viewers[0].filter(path => !path.endsWith('/master.m3u8'))
    const counts = countOf(fetchesOf(edge2, videoId))
    expect([...counts.keys()].sort()).toEqual([...files].sort())
    expect([...counts.values()].every(count => count === 1)).toBe(true)
  })

  test('a range request fills the cache in a slice: the rest of the file is then served without the origin', async () => {
    const poster = `/media/${videoId}/poster.jpg`
    const bytes = readFileSync(join(origin.mediaDir, String(videoId), 'poster.jpg'))
    const part = await fetch(`${edge1.url}${poster}`, { headers: { range: 'bytes=100-199' } })
    expect(part.status).toBe(206)
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${bytes.length}`)
    expect(Buffer.compare(new Uint8Array(await part.arrayBuffer()), bytes.subarray(100, 200))).toBe(0)
    const whole = await fetch(`${edge1.url}${poster}`)
    expect(Buffer.compare(new Uint8Array(await whole.arrayBuffer()), bytes)).toBe(0)
    const tail = await fetch(`${edge1.url}${poster}`, { headers: { range: `bytes=${bytes.length - 10}-` } })
    expect(Buffer.compare(new Uint8Array(await tail.arrayBuffer()), bytes.subarray(bytes.length - 10))).toBe(0)
    await settle()
    expect(fetchesOf(edge1, videoId).filter(path => path === poster)).toHaveLength(1)
  })

  test('subtitles replaced under their name reach viewers by their new ?v=; any other query shares the copy', async () => {
    const folder = join(origin.mediaDir, String(videoId))
    const playlist = readFileSync(join(folder, 'subs_en.m3u8'), 'utf8')
    const address = /^subs\/en\.vtt\?v=.+$/m.exec(playlist)?.[0] as string
    const before = fetchesOf(edge1, videoId).length
    expect((await fetch(`${edge1.url}/media/${videoId}/${address}&player=1`)).status).toBe(200)
    expect((await fetch(`${edge1.url}/media/${videoId}/subs/en.vtt?v=${address.split('=')[1]}&x=2`)).status).toBe(200)
    await settle()
    expect(fetchesOf(edge1, videoId).slice(before)).toEqual([])
    const replaced = 'WEBVTT\n\n00:00.500 --> 00:02.000\nBonjour\n'
    writeFileSync(join(folder, 'subs/en.vtt.tmp'), replaced)
    renameSync(join(folder, 'subs/en.vtt.tmp'), join(folder, 'subs/en.vtt'))
    expect(await (await fetch(`${edge1.url}/media/${videoId}/subs/en.vtt?v=replaced`)).text()).toBe(replaced)
  })

  test('a segment a retried transcoding made anew reaches viewers by its ?a=; the copy of the plain address stays what it was', async () => {
    const folder = join(origin.mediaDir, String(videoId))
    const listed = parseMediaPlaylist(readFileSync(join(folder, 'stream_0.m3u8'), 'utf8')).segments
    const name = listed[listed.length - 1].uri
    const original = readFileSync(join(folder, name))
    const plain = `${edge1.url}/media/${videoId}/${name}`
    // The edge keeps the plain address (the first viewer's play-through fetched it already).
    expect(Buffer.compare(new Uint8Array(await (await fetch(plain)).arrayBuffer()), original)).toBe(0)
    await settle()
    const before = fetchesOf(edge1, videoId).length
    const remade = Buffer.concat([original.subarray(188), original.subarray(0, 188)])
    try {
      writeFileSync(join(folder, `${name}.tmp`), remade)
      renameSync(join(folder, `${name}.tmp`), join(folder, name))
      expect(Buffer.compare(new Uint8Array(await (await fetch(`${plain}?a=2`)).arrayBuffer()), remade)).toBe(0)
      expect(Buffer.compare(new Uint8Array(await (await fetch(`${plain}?a=2&player=1`)).arrayBuffer()), remade)).toBe(0)
      expect(Buffer.compare(new Uint8Array(await (await fetch(plain)).arrayBuffer()), original)).toBe(0)
      await settle()
      expect(fetchesOf(edge1, videoId).slice(before)).toEqual([`/media/${videoId}/${name}?a=2`])
    } finally {
      writeFileSync(join(folder, `${name}.tmp`), original)
      renameSync(join(folder, `${name}.tmp`), join(folder, name))
    }
  })

  test("an edge keeps one copy per allowed origin: another site never gets the player's CORS answer", async () => {
    const segment = `/media/${videoId}/stream_0/data0001.ts`
    const allowed = await fetch(`${edge1.url}${segment}`, { headers: { origin: player } })
    expect(allowed.status).toBe(200)
    expect(allowed.headers.get('access-control-allow-origin')).toBe(player)
    const other = await fetch(`${edge1.url}${segment}`, { headers: { origin: 'https://elsewhere.example' } })
    expect(other.status).toBe(200)
    expect(other.headers.get('access-control-allow-origin')).toBeNull()
    const preflight = await fetch(`${edge1.url}${segment}`, {
      method: 'OPTIONS',
      headers: { origin: player, 'access-control-request-method': 'GET', 'access-control-request-headers': 'range' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-headers')).toBe('Range')
  })

  test('pages and the API pass through uncached: each viewer gets their own', async () => {
    const other = await signUp(origin.url)
    const asOwner = new Client(edge1.url)
    const asOther = new Client(edge1.url)
    for (const [name, value] of owner.cookies) asOwner.cookies.set(name, value)
    for (const [name, value] of other.cookies) asOther.cookies.set(name, value)
    expect((await asOwner.get('/api/v1/me')).body.user.id).toBe(owner.userId)
    expect((await asOther.get('/api/v1/me')).body.user.id).toBe(other.userId)
    expect((await asOwner.get('/')).status).toBe(200)
    expect((await asOther.get('/')).status).toBe(200)
    await settle()
    const reached = edge1.originFetches().map(fetch => fetch.path)
    expect(reached.filter(path => path === '/api/v1/me')).toHaveLength(2)
    expect(reached.filter(path => path === '/')).toHaveLength(2)
  })

  describe('a video still transcoding', () => {
    let growing: { id: number; folder: string }
    const segmentNames = ['stream_0/data0000.ts', 'stream_0/data0001.ts', 'stream_0/data0002.ts']

    // The worker publishes a playlist by renaming a finished file over the old one.
    const publish = (name: string, text: string) => {
      writeFileSync(join(growing.folder, `${name}.tmp`), text)
      renameSync(join(growing.folder, `${name}.tmp`), join(growing.folder, name))
    }
    const playlistOf = (count: number, finished = false) =>
      [
        '#EXTM3U',
        '#EXT-X-VERSION:3',
        '#EXT-X-TARGETDURATION:6',
        '#EXT-X-PLAYLIST-TYPE:EVENT',
        ...segmentNames.slice(0, count).flatMap(name => ['#EXTINF:2.000,', name]),
        ...(finished ? ['#EXT-X-ENDLIST'] : []),
        '',
      ].join('\n')
    const segmentsAtEdge = async () => {
      const answer = await fetch(`${edge2.url}/media/${growing.id}/stream_0.m3u8`)
      return { status: answer.status, segments: (await answer.text()).split('\n').filter(line => line.endsWith('.ts')).length }
    }

    beforeAll(async () => {
      growing = await addMedia(origin, { ownerId: owner.userId })
      // Real segments of the finished video, as the worker would leave them one by one.
      for (const name of segmentNames) copyFileSync(join(origin.mediaDir, String(videoId), name), join(growing.folder, name))
      publish('master.m3u8', '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=640x360\nstream_0.m3u8\n')
      publish('stream_0.m3u8', playlistOf(1))
    })

    test('its playlist keeps growing at the edge, within its max-age, without every poll reaching the origin', async () => {
      expect(await segmentsAtEdge()).toEqual({ status: 200, segments: 1 })
      for (const count of [2, 3]) {
        const before = fetchesOf(edge2, growing.id).length
        const startedMs = Date.now()
        publish('stream_0.m3u8', playlistOf(count))
        let polls = 0
        await eventually(async () => {
          polls += 1
          return (await segmentsAtEdge()).segments === count
        }, 10_000)
        const elapsedMs = Date.now() - startedMs
        // max-age=2, then at most one answer from the copy at hand while it is refreshed
        // (and the test's own polling, on a machine shared with other work).
        expect(elapsedMs).toBeLessThan(2000 + 1500)
        await settle()
        const reached = fetchesOf(edge2, growing.id).length - before
        expect(reached).toBeGreaterThanOrEqual(1)
        expect(reached).toBeLessThan(polls)
        expect(reached).toBeLessThanOrEqual(Math.ceil(elapsedMs / 2000) + 1)
      }
      const answer = await fetch(`${edge2.url}/media/${growing.id}/stream_0.m3u8`)
      expect(answer.headers.get('cache-control')).toBe('public, max-age=2')
    })

    test('deleting it makes its playlists go at the edge within their max-age', async () => {
      expect((await segmentsAtEdge()).status).toBe(200)
      const deletedMs = Date.now()
      expect((await owner.delete(`/api/v1/media/${growing.id}`)).status).toBe(204)
      await eventually(async () => (await segmentsAtEdge()).status === 404, 10_000)
      expect(Date.now() - deletedMs).toBeLessThan(2000 + 1500)
      await Bun.sleep(1500)
      expect((await segmentsAtEdge()).status).toBe(404)
    })
  })

  test('deleting a finished video: its playlists stay at the edge at most their max-age (60 s), then go', async () => {
    const playlist = `${edge1.url}/media/${videoId}/stream_0.m3u8`
    const cached = await fetch(playlist)
    expect(cached.headers.get('cache-control')).toBe('public, max-age=60')
    const deletedMs = Date.now()
    expect((await owner.delete(`/api/v1/media/${videoId}`)).status).toBe(204)
    expect((await fetch(`${origin.url}/media/${videoId}/stream_0.m3u8`)).status).toBe(404)
    await eventually(async () => (await fetch(playlist)).status === 404, 70_000)
    expect(Date.now() - deletedMs).toBeLessThan(60_000 + 1500)
    expect((await fetch(`${edge1.url}/media/${videoId}/master.m3u8`)).status).toBe(404)
  }, 90_000)
})
