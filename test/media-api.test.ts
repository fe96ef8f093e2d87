// Contract tests of the media resource (shared/api.md, Media): read, follow processing
// as Server-Sent Events, delete with the files.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { addEpisode, addSeason, addTitle, expectError, openServerDatabase } from './helpers/catalogue'
import { Client, signUp } from './helpers/client'
import { createTusUpload, filesIn, patchUpload, randomVideo, send, uploadsDir } from './helpers/media'
import { type TestServer, startServer } from './helpers/server'

let server: TestServer
let admin: Client & { userId: number }
let owner: Client & { userId: number }
let other: Client & { userId: number }
let anonymous: Client
let movieId: number

beforeAll(async () => {
  server = await startServer({ admins: '1\n' })
  admin = await signUp(server.url) // user 1, listed in admins.txt
  owner = await signUp(server.url)
  other = await signUp(server.url)
  anonymous = new Client(server.url)
  movieId = (await addTitle(owner, { name: 'Media resource' })).id
})
afterAll(() => server.stop())

async function uploadVideo(client: Client = owner, titleId = movieId) {
  const answer = await send(client, 'PUT', `/api/v1/titles/${titleId}/video?filename=film.mp4`, { body: randomVideo(4096) })
  if (answer.status !== 202) throw new Error(`upload failed: ${answer.status} ${await answer.text()}`)
  return (await answer.json()).media
}

async function execute(sql: string, args: (string | number | null)[] = []) {
  const db = openServerDatabase(server)
  try {
    return (await db.execute({ sql, args })).rows
  } finally {
    db.close()
  }
}

// What a worker does to the row, written straight into the server's database file.
const setProgress = (id: number, status: string, progress: number, error: string | null = null) =>
  execute("UPDATE media SET status = ?, progress = ?, error = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?", [
    status,
    progress,
    error,
    id,
  ])

// Server-Sent Events as they arrive: the parsed `data:` of each event, and comments.
async function* serverSentEvents(response: Response) {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader()
  const decoder = new TextDecoder()
  let buffered = ''
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return
    buffered += decoder.decode(value, { stream: true })
    for (let end = buffered.indexOf('\n\n'); end !== -1; end = buffered.indexOf('\n\n')) {
      const frame = buffered.slice(0, end)
      buffered = buffered.slice(end + 2)
      const data = frame
        .split('\n')
        .filter(line => line.startsWith('data: '))
        .map(line => line.slice(6))
        .join('\n')
      if (data) yield JSON.parse(data)
    }
  }
}

describe('GET /api/v1/media/:id', () => {
  test('answers the contract fields to anyone', async () => {
    const uploaded = await uploadVideo()
    const answer = await anonymous.get(`/api/v1/media/${uploaded.id}`)
    expect(answer.status).toBe(200)
    expect(answer.body.media).toEqual({
      id: uploaded.id,
      titleId: movieId,
      episodeId: null,
      status: 'queued',
      progress: 0,
      error: null,
      errorCode: null,
      errorParams: null,
      durationSec: null,
      source: null,
      renditions: [],
      audio: [],
      subtitles: [],
      masterUrl: null,
      posterUrl: null,
      thumbnails: null,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
      updatedAt: expect.any(String),
    })
  })

  test('an unknown id is a 404, a malformed one a 400', async () => {
    expectError(await anonymous.get('/api/v1/media/999999'), 404, 'media_not_found')
    expectError(await anonymous.get('/api/v1/media/abc'), 400, 'invalid_input')
  })
})

describe('GET /api/v1/media/:id/events', () => {
  test('sends the state, each change, and ends after ready', async () => {
    const { id } = await uploadVideo()
    const response = await fetch(`${server.url}/api/v1/media/${id}/events`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toStartWith('text/event-stream')
    const events = serverSentEvents(response)

    expect((await events.next()).value).toEqual({ status: 'queued', progress: 0, error: null })
    await setProgress(id, 'processing', 0.25)
    expect((await events.next()).value).toEqual({ status: 'processing', progress: 0.25, error: null })
    await setProgress(id, 'processing', 0.5)
    expect((await events.next()).value).toEqual({ status: 'processing', progress: 0.5, error: null })
    await setProgress(id, 'ready', 1)
    expect((await events.next()).value).toEqual({ status: 'ready', progress: 1, error: null })
    expect((await events.next()).done).toBe(true)
  })

  test('ends after failed, with the error', async () => {
    const { id } = await uploadVideo()
    await setProgress(id, 'failed', 0.1, 'No video stream in the file')
    const events = serverSentEvents(await fetch(`${server.url}/api/v1/media/${id}/events`))
    expect((await events.next()).value).toEqual({ status: 'failed', progress: 0.1, error: 'No video stream in the file' })
    expect((await events.next()).done).toBe(true)
  })

  test('ends when the media is deleted, and a client that leaves early is no trouble', async () => {
    const { id } = await uploadVideo()
    const leaving = new AbortController()
    const early = await fetch(`${server.url}/api/v1/media/${id}/events`, { signal: leaving.signal })
    await serverSentEvents(early).next()
    leaving.abort()

    const events = serverSentEvents(await fetch(`${server.url}/api/v1/media/${id}/events`))
    expect((await events.next()).value.status).toBe('queued')
    expect((await owner.delete(`/api/v1/media/${id}`)).status).toBe(204)
    expect((await events.next()).done).toBe(true)
    expect((await anonymous.get('/api/v1/me')).status).toBe(401) // the server is still serving
  })

  test('an unknown media is a 404', async () => {
    expectError(await anonymous.get('/api/v1/media/999999/events'), 404, 'media_not_found')
  })
})

describe('DELETE /api/v1/media/:id', () => {
  test('removes the row, its jobs and its folder; only the owner or an admin may', async () => {
    const { id } = await uploadVideo()
    const folder = join(server.mediaDir, String(id))
    expect(existsSync(folder)).toBe(true)
    expectError(await anonymous.delete(`/api/v1/media/${id}`), 401, 'unauthorized')
    expectError(await other.delete(`/api/v1/media/${id}`), 403, 'forbidden')

    expect((await owner.delete(`/api/v1/media/${id}`)).status).toBe(204)
    expect(existsSync(folder)).toBe(false)
    expect(await execute('SELECT id FROM jobs WHERE media_id = ?', [id])).toEqual([])
    expectError(await anonymous.get(`/api/v1/media/${id}`), 404, 'media_not_found')
    expectError(await owner.delete(`/api/v1/media/${id}`), 404, 'media_not_found')
  })

  test("an admin may delete anyone's video, and the title's owner one an admin uploaded", async () => {
    const byOwner = await uploadVideo(owner)
    expect((await admin.delete(`/api/v1/media/${byOwner.id}`)).status).toBe(204)
    const byAdmin = await uploadVideo(admin)
    expect((await owner.delete(`/api/v1/media/${byAdmin.id}`)).status).toBe(204)
  })

  test('deleting a media whose tus upload is unfinished removes the partial upload too', async () => {
    const created = await createTusUpload(owner, { length: 100_000, target: `title:${movieId}` })
    const mediaId = Number(created.headers.get('media-id'))
    await patchUpload(owner, created.headers.get('location') as string, 0, randomVideo(1000))
    expect(filesIn(uploadsDir(server)).filter(name => name.startsWith(`${mediaId}-`))).toHaveLength(2)
    expect((await owner.delete(`/api/v1/media/${mediaId}`)).status).toBe(204)
    expect(filesIn(uploadsDir(server)).filter(name => name.startsWith(`${mediaId}-`))).toEqual([])
  })

  test.each(['season', 'episode'] as const)(
    "deleting the %s removes its videos' unfinished uploads at once, as deleting a title does",
    async deleted => {
      const series = await addTitle(owner, { kind: 'series', name: `Partial uploads of a ${deleted}` })
      const season = await addSeason(owner, series.id)
      const episode = await addEpisode(owner, season.id)
      const created = await createTusUpload(owner, { length: 100_000, target: `episode:${episode.id}` })
      const mediaId = Number(created.headers.get('media-id'))
      await patchUpload(owner, created.headers.get('location') as string, 0, randomVideo(1000))
      const waiting = () => filesIn(uploadsDir(server)).filter(name => name.startsWith(`${mediaId}-`))
      expect(waiting()).toHaveLength(2)
      const path = deleted === 'season' ? `/api/v1/seasons/${season.id}` : `/api/v1/episodes/${episode.id}`
      expect((await owner.delete(path)).status).toBe(204)
      expect(waiting()).toEqual([])
    },
  )

  test('the files of a deleted media are no longer served', async () => {
    const { id } = await uploadVideo()
    await Bun.write(join(server.mediaDir, String(id), 'master.m3u8'), '#EXTM3U\n')
    expect((await fetch(`${server.url}/media/${id}/master.m3u8`)).status).toBe(200)
    expect((await owner.delete(`/api/v1/media/${id}`)).status).toBe(204)
    expect((await fetch(`${server.url}/media/${id}/master.m3u8`)).status).toBe(404)
  })
})
