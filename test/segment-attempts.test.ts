// A job taken over after its worker died (kill -9) must never make one segment URI mean two
// sets of bytes: segments go out `immutable`, and browsers and edges keep them. Segments the
// retry reproduces byte for byte keep their URI and file (mtime, ETag); others are listed as
// `<rendition>/dataNNNN.ts?a=<attempt>`. Leases are short (3 s) so the retry starts soon.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseMediaPlaylist } from '../src/hls/playlists'
import { type Client, signUp } from './helpers/client'
import { type TestServer, startServer } from './helpers/server'
import {
  createMovie,
  enqueueSourceFile,
  isFinished,
  jobRows,
  makeSource,
  mediaRow,
  openServerDb,
  pidOfLeaseOwner,
  type TestDb,
  waitForMedia,
} from './helpers/transcode'
import { until } from './helpers/media'

setDefaultTimeout(120_000)

const sources = mkdtempSync(join(tmpdir(), 'moviepoint-sources-'))
let source: string

beforeAll(async () => {
  source = await makeSource(join(sources, 'film.mkv'), { width: 854, height: 480, durationSec: 24, audio: ['eng'] })
})
afterAll(() => rmSync(sources, { recursive: true, force: true }))

const leaseEnv = {
  MOVIEPOINT_X264_PRESET: 'superfast',
  MOVIEPOINT_JOB_LEASE_MS: '3000',
  MOVIEPOINT_JOB_HEARTBEAT_MS: '500',
  MOVIEPOINT_JOB_POLL_MS: '200',
}
const renditions = ['stream_0', 'stream_1', 'audio_en']

type Fetched = { status: number; sha256: string; sizeBytes: number; etag: string | null; lastModified: string | null }

async function fetchFile(url: string): Promise<Fetched> {
  const response = await fetch(url)
  const bytes = new Uint8Array(await response.arrayBuffer())
  const declared = Number(response.headers.get('content-length'))
  if (response.status === 200 && declared !== bytes.length) throw new Error(`${url}: ${bytes.length} of ${declared} bytes`)
  return {
    status: response.status,
    sha256: new Bun.CryptoHasher('sha256').update(bytes).digest('hex'),
    sizeBytes: bytes.length,
    etag: response.headers.get('etag'),
    lastModified: response.headers.get('last-modified'),
  }
}

// The URIs (relative to the media folder, query kept) the served media playlists list now.
async function listedUris(base: string): Promise<string[]> {
  const uris: string[] = []
  for (const name of renditions) {
    const response = await fetch(`${base}/${name}.m3u8`)
    if (response.status === 200) uris.push(...parseMediaPlaylist(await response.text()).segments.map(s => s.uri))
  }
  return uris
}

// Every listed URI with what it answers now.
async function fetchListed(base: string): Promise<Map<string, Fetched>> {
  const found = new Map<string, Fetched>()
  for (const uri of await listedUris(base)) found.set(uri, await fetchFile(`${base}/${uri}`))
  return found
}

type Started = { server: TestServer; db: TestDb; close: () => void; owner: Client & { userId: number } }

async function start(env: Record<string, string>, dir?: string): Promise<Omit<Started, 'owner'>> {
  const server = await startServer(dir ? { dir, env } : { ini: { Workers: 1 }, env })
  const { db, client } = openServerDb(server)
  return { server, db, close: () => client.close() }
}

// Enqueued; once it is playable (every rendition has segments), its worker is killed with
// kill -9. Answers what the first attempt had listed by then.
async function firstAttemptKilled(started: Started) {
  const { server, db, owner } = started
  const mediaId = await enqueueSourceFile(server, db, {
    titleId: await createMovie(db, owner.userId),
    ownerId: owner.userId,
    sourcePath: source,
  })
  await until(async () => (await mediaRow(db, mediaId)).isPlayable, 60_000, 20)
  const [job] = await jobRows(db, mediaId)
  process.kill(pidOfLeaseOwner(job.leaseOwner) as number, 'SIGKILL')
  const base = `${server.url}/media/${mediaId}`
  const first = await fetchListed(base)
  expect(first.size).toBeGreaterThanOrEqual(renditions.length)
  for (const uri of first.keys()) expect(uri).toMatch(/^[a-z_0-9]+\/data\d{4}\.ts$/)
  return { mediaId, first }
}

async function playsThrough(url: string) {
  const ffmpeg = Bun.spawn(['ffmpeg', '-v', 'error', '-i', url, '-map', '0', '-f', 'null', '-'], { stdout: 'ignore', stderr: 'pipe' })
  const [stderr, code] = await Promise.all([new Response(ffmpeg.stderr).text(), ffmpeg.exited])
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
}

describe('a job retried after its worker was killed', () => {
  test('with the same encoder settings: the segments it reproduces keep their URI, mtime and ETag', async () => {
    const started = await start(leaseEnv)
    try {
      const owner = await signUp(started.server.url)
      const { mediaId, first } = await firstAttemptKilled({ ...started, owner })
      const row = await waitForMedia(started.db, mediaId, isFinished)
      expect(row.status).toBe('ready')
      expect(await jobRows(started.db, mediaId)).toEqual([expect.objectContaining({ status: 'done', attempts: 2 })])

      const base = `${started.server.url}/media/${mediaId}`
      const final = await fetchListed(base)
      // Reproduced byte for byte (the audio always is; x264 may not be, across two runs on a
      // loaded machine): the same file under the same URI. Otherwise the URI is gone and the
      // file is listed as the second attempt's.
      const kept = [...first].filter(([uri]) => final.has(uri))
      for (const [uri, before] of kept) expect({ uri, ...final.get(uri) }).toEqual({ uri, ...before })
      for (const [uri] of first) if (!final.has(uri)) expect(final.has(`${uri}?a=2`)).toBe(true)
      expect(kept.length).toBeGreaterThan(0)
      // Segments the first attempt never listed are the second's.
      for (const uri of final.keys()) if (!first.has(uri)) expect(uri).toMatch(/\?a=2$/)
      await playsThrough(`${base}/master.m3u8`)
    } finally {
      started.close()
      await started.server.stop()
    }
  })

  test('with other encoder settings: changed segments are listed as ?a=2, and nothing listed is ever half-done', async () => {
    const before = await start({ ...leaseEnv, MOVIEPOINT_X264_CRF: '38' })
    let killed: Awaited<ReturnType<typeof firstAttemptKilled>>
    try {
      killed = await firstAttemptKilled({ ...before, owner: await signUp(before.server.url) })
    } finally {
      before.close()
      await before.server.kill()
    }
    const { mediaId, first } = killed
    const after = await start({ ...leaseEnv, MOVIEPOINT_X264_CRF: '16' }, before.server.dir)
    try {
      const base = `${after.server.url}/media/${mediaId}`
      // What each URI answered the first time it was seen: it must never answer otherwise.
      const seen = new Map(first)
      const check = async () => {
        for (const [uri, now] of await fetchListed(base)) {
          if (now.status === 404 && !(await listedUris(base)).includes(uri)) continue
          expect({ uri, status: now.status }).toEqual({ uri, status: 200 })
          expect(now.sizeBytes % 188).toBe(0)
          const earlier = seen.get(uri) ?? now
          expect({ uri, sha256: now.sha256 }).toEqual({ uri, sha256: earlier.sha256 })
          seen.set(uri, earlier)
        }
      }
      let polls = 0
      while (!isFinished(await mediaRow(after.db, mediaId))) {
        await check()
        polls += 1
        await Bun.sleep(100)
      }
      await check()
      expect(polls).toBeGreaterThan(3)
      expect((await mediaRow(after.db, mediaId)).status).toBe('ready')
      expect(await jobRows(after.db, mediaId)).toEqual([expect.objectContaining({ status: 'done', attempts: 2 })])

      // The video changed (another CRF); the audio, encoded alike, is the same file still.
      const final = await fetchListed(base)
      const isVideo = (uri: string) => uri.startsWith('stream_')
      for (const [uri, now] of final) {
        const old = first.get(uri)
        if (old) expect({ uri, isVideo: isVideo(uri), ...now }).toEqual({ uri, isVideo: false, ...old })
        else expect(uri).toMatch(/^(stream_\d|audio_en)\/data\d{4}\.ts\?a=2$/)
      }
      expect([...first.keys()].filter(uri => !isVideo(uri) && !final.has(uri))).toEqual([])
      // The old plain address of a video segment is no longer listed; the origin serves the
      // file of that name, now the new bytes (the same as its ?a=2 address), never the old ones.
      const changed = [...first].filter(([uri]) => isVideo(uri))
      expect(changed.length).toBeGreaterThan(1)
      for (const [uri, old] of changed) {
        const plain = await fetchFile(`${base}/${uri}`)
        expect(plain.sha256).not.toBe(old.sha256)
        expect(plain.sha256).toBe(final.get(`${uri}?a=2`)?.sha256 as string)
      }
      await playsThrough(`${base}/master.m3u8`)
    } finally {
      after.close()
      await after.server.stop()
    }
  })
})
