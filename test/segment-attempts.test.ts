// A job taken over after its worker died (kill -9) must never make one segment URI mean two
// sets of bytes: segments go out `immutable`, and browsers and edges keep them. Segments the
// retry reproduces byte for byte keep their URI and file (mtime, ETag); others are listed as
// `<rendition>/dataNNNN.ts?a=<attempt>`. Leases are short (3 s) so the retry starts soon.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseMediaPlaylist } from '../src/hls/playlists'
import { Client, signUp } from './helpers/client'
import { playsThrough } from './helpers/hls-checks'
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
  shortLeaseEnv,
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

const leaseEnv = shortLeaseEnv
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

// A fresh server (one worker; `admins`: its admins.txt), or one restarted on `dir`.
async function start(env: Record<string, string>, at: { dir?: string; admins?: string } = {}): Promise<Omit<Started, 'owner'>> {
  const server = await startServer(at.dir ? { dir: at.dir, env } : { ini: { Workers: 1 }, env, admins: at.admins })
  const { db, client } = openServerDb(server)
  return { server, db, close: () => client.close() }
}

// Follows what the media playlists list until the media is finished: a URI must answer
// the bytes it answered the first time it was seen (`seen` holds what was seen before), or
// be no longer listed. Answers how many rounds it looked.
async function neverTwoBytesPerUri(started: Omit<Started, 'owner'>, mediaId: number, seen: Map<string, Fetched>) {
  const base = `${started.server.url}/media/${mediaId}`
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
  while (!isFinished(await mediaRow(started.db, mediaId))) {
    await check()
    polls += 1
    await Bun.sleep(100)
  }
  await check()
  return polls
}

// Enqueued, and followed until it is playable (every rendition has segments).
async function enqueuedUntilPlayable(started: Started): Promise<number> {
  const { server, db, owner } = started
  const mediaId = await enqueueSourceFile(server, db, {
    titleId: await createMovie(db, owner.userId),
    ownerId: owner.userId,
    sourcePath: source,
  })
  await until(async () => (await mediaRow(db, mediaId)).isPlayable, 60_000, 20)
  return mediaId
}

// What a first attempt lists: segments under their plain names.
async function listedByFirstAttempt(started: Started, mediaId: number) {
  const first = await fetchListed(`${started.server.url}/media/${mediaId}`)
  expect(first.size).toBeGreaterThanOrEqual(renditions.length)
  for (const uri of first.keys()) expect(uri).toMatch(/^[a-z_0-9]+\/data\d{4}\.ts$/)
  return first
}

// Enqueued; once it is playable, its worker is killed with kill -9. Answers what the first
// attempt had listed by then.
async function firstAttemptKilled(started: Started) {
  const mediaId = await enqueuedUntilPlayable(started)
  const [job] = await jobRows(started.db, mediaId)
  process.kill(pidOfLeaseOwner(job.leaseOwner) as number, 'SIGKILL')
  return { mediaId, first: await listedByFirstAttempt(started, mediaId) }
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
    const after = await start({ ...leaseEnv, MOVIEPOINT_X264_CRF: '16' }, { dir: before.server.dir })
    try {
      const base = `${after.server.url}/media/${mediaId}`
      expect(await neverTwoBytesPerUri(after, mediaId, new Map(first))).toBeGreaterThan(3)
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

// The poster (of the media and of its title) and the seek-bar previews are served `immutable`
// under the same names on every attempt, and another engine or ffmpeg (a runner's) may make
// other pictures: they are referred to by the URIs of the publication that made them.
async function expectPicturesOfPublication(started: Omit<Started, 'owner'>, mediaId: number, publication: number) {
  const { url } = started.server
  const tag = publication > 1 ? `?a=${publication}` : ''
  const { media } = await (await fetch(`${url}/api/v1/media/${mediaId}`)).json()
  const { titleId } = await mediaRow(started.db, mediaId)
  const { title } = await (await fetch(`${url}/api/v1/titles/${titleId}`)).json()
  expect({ poster: media.posterUrl, titlePoster: title.posterUrl }).toEqual({
    poster: `/media/${mediaId}/poster.jpg${tag}`,
    titlePoster: `/media/${mediaId}/poster.jpg${tag}`,
  })
  if (media.status !== 'ready') return
  expect(media.thumbnails).toBe(`/media/${mediaId}/thumbs.vtt${tag}`)
  const vtt = await (await fetch(`${url}${media.thumbnails}`)).text()
  const sheets = new Set(vtt.split('\n').flatMap(line => (line.startsWith('thumbs/') ? [line.split('#')[0]] : [])))
  expect([...sheets]).toEqual([`thumbs/sprite0000.jpg${tag}`])
  for (const picture of [media.posterUrl, `/media/${mediaId}/${[...sheets][0]}`]) {
    const answer = await fetch(`${url}${picture}`)
    expect({ picture, status: answer.status, type: answer.headers.get('content-type') }).toEqual({
      picture,
      status: 200,
      type: 'image/jpeg',
    })
  }
}

// The signed-in user of `client`, on a restarted server (another port, the same sessions).
function sameUserAt(client: Client, url: string): Client {
  const again = new Client(url)
  for (const [name, value] of client.cookies) again.cookies.set(name, value)
  return again
}

// These attempts' segments were withdrawn when they stopped, so nothing is compared: the
// next attempt (here with another CRF, so other bytes) publishes all of its own, and must
// never list one under a URI the earlier attempt listed, though the attempt number repeats.
describe('a publication after a clean shutdown or after a failure', () => {
  const coarse = { ...leaseEnv, MOVIEPOINT_X264_CRF: '38' }
  const fine = { ...leaseEnv, MOVIEPOINT_X264_CRF: '16' }

  // Finished after the restart: every URI answered what it answered first, none is a first
  // attempt's plain name, and the film plays through.
  async function expectFinishedApart(after: Omit<Started, 'owner'>, mediaId: number, first: Map<string, Fetched>) {
    expect(await neverTwoBytesPerUri(after, mediaId, new Map(first))).toBeGreaterThan(3)
    expect((await mediaRow(after.db, mediaId)).status).toBe('ready')
    // The attempt number repeats: the job's count does not tell these publications apart.
    expect(await jobRows(after.db, mediaId)).toEqual([expect.objectContaining({ status: 'done', attempts: 1 })])
    const base = `${after.server.url}/media/${mediaId}`
    const final = await fetchListed(base)
    for (const uri of final.keys()) expect(uri).toMatch(/^(stream_\d|audio_en)\/data\d{4}\.ts\?a=2$/)
    await playsThrough(`${base}/master.m3u8`)
    await expectPicturesOfPublication(after, mediaId, 2)
  }

  test('a job put back in the queue by SIGTERM mid-transcode, finished after a restart: no URI means two sets of bytes', async () => {
    const before = await start(coarse)
    let mediaId = 0
    let first = new Map<string, Fetched>()
    try {
      const owner = await signUp(before.server.url)
      mediaId = await enqueuedUntilPlayable({ ...before, owner })
      first = await listedByFirstAttempt({ ...before, owner }, mediaId)
      await expectPicturesOfPublication(before, mediaId, 1)
    } finally {
      before.close()
      await before.server.shutdown()
    }
    const after = await start(fine, { dir: before.server.dir })
    try {
      await expectFinishedApart(after, mediaId, first)
    } finally {
      after.close()
      await after.server.stop()
    }
  })

  test('a video failed after publishing segments, retried by its owner after a restart: no URI means two sets of bytes', async () => {
    const before = await start(coarse, { admins: '1\n' })
    let mediaId = 0
    let first = new Map<string, Fetched>()
    // User 1: the admin, who may cancel the job (the failure here), and the video's owner.
    const owner = await signUp(before.server.url)
    try {
      mediaId = await enqueuedUntilPlayable({ ...before, owner })
      first = await listedByFirstAttempt({ ...before, owner }, mediaId)
      const [job] = await jobRows(before.db, mediaId)
      expect((await owner.post(`/api/v1/admin/jobs/${job.id}/cancel`)).status).toBe(204)
      expect(await mediaRow(before.db, mediaId)).toMatchObject({ status: 'failed', errorCode: 'cancelled' })
      // Its worker stopped and withdrew what it had published.
      await until(async () => (await listedUris(`${before.server.url}/media/${mediaId}`)).length === 0, 20_000)
    } finally {
      before.close()
      await before.server.shutdown()
    }
    const after = await start(fine, { dir: before.server.dir })
    try {
      const retry = () => sameUserAt(owner, after.server.url).post(`/api/v1/media/${mediaId}/retry`)
      // 409 worker_stopping until the cancelled run's lease has run out.
      await until(async () => (await retry()).status === 202, 20_000, 200)
      await expectFinishedApart(after, mediaId, first)
    } finally {
      after.close()
      await after.server.stop()
    }
  })
})
