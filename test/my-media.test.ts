// "Managing my films" (issue 15) through the API against a real server with a real worker:
// GET /api/v1/me/media, POST /api/v1/media/:id/retry, the admin's job list and cancel, and
// failed uploads losing their source after FailedSourceDays (a fraction of a day here).
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { addEpisode, addSeason, addTitle, expectError } from './helpers/catalogue'
import { Client, signUp } from './helpers/client'
import { createTusUpload, eventually, randomVideo, send } from './helpers/media'
import { type TestServer, startServer } from './helpers/server'
import { jobRows, makeSource, openServerDb, type TestDb, waitForMedia } from './helpers/transcode'

setDefaultTimeout(120_000)

type Account = Client & { userId: number }
let server: TestServer
let db: TestDb
let admin: Account
let owner: Account
let other: Account
const sources = mkdtempSync(join(tmpdir(), 'moviepoint-my-media-'))

beforeAll(async () => {
  // A short lease, so a worker whose job was cancelled is known to have stopped soon.
  server = await startServer({
    admins: '1\n',
    ini: { Workers: 1 },
    env: { MOVIEPOINT_X264_PRESET: 'superfast', MOVIEPOINT_JOB_LEASE_MS: '3000' },
  })
  admin = await signUp(server.url)
  owner = await signUp(server.url)
  other = await signUp(server.url)
  db = openServerDb(server).db
})
afterAll(async () => {
  await server.stop()
  rmSync(sources, { recursive: true, force: true })
})

async function upload(client: Client, target: string, body: Uint8Array<ArrayBuffer>) {
  const answer = await send(client, 'PUT', `/api/v1/${target}/video?filename=film.mp4`, { body })
  if (answer.status !== 202) throw new Error(`upload failed: ${answer.status} ${await answer.text()}`)
  return (await answer.json()).media.id as number
}

const isFailed = (row: { status: string } | undefined) => row?.status === 'failed'

async function failedUpload(client: Account, name: string) {
  const titleId = (await addTitle(client, { name })).id
  const mediaId = await upload(client, `titles/${titleId}`, randomVideo(4096))
  await waitForMedia(db, mediaId, isFailed, 30_000)
  return { titleId, mediaId }
}

const myMedia = async (client: Client, query = '', headers: Record<string, string> = {}) =>
  (await client.get(`/api/v1/me/media${query}`, { headers })).body

describe('GET /api/v1/me/media', () => {
  test('lists every video I uploaded, newest first, with its title or episode and its state', async () => {
    const me = await signUp(server.url)
    const movie = await failedUpload(me, 'Плохой файл')
    const seriesId = (await addTitle(me, { name: 'Сериал', kind: 'series' })).id
    const seasonId = (await addSeason(me, seriesId, 2)).id
    const episodeId = (await addEpisode(me, seasonId, 3, 'Пилот')).id
    const tus = await createTusUpload(me, { length: 1000, target: `episode:${episodeId}` })
    expect(tus.status).toBe(201)
    await upload(other, `titles/${(await addTitle(other, { name: 'Not mine' })).id}`, randomVideo(1024))

    const list = await myMedia(me)
    expect(list).toMatchObject({ page: 1, perPage: 20, total: 2 })
    const [uploading, failed] = list.items
    expect(uploading).toMatchObject({
      status: 'uploading',
      title: { id: seriesId, name: 'Сериал', kind: 'series' },
      episode: { id: episodeId, number: 3, name: 'Пилот', seasonNumber: 2 },
      errorMessage: null,
      canRetry: false,
      isSourceGone: false,
    })
    expect(failed).toMatchObject({
      id: movie.mediaId,
      status: 'failed',
      errorCode: 'not_a_video',
      error: 'The file is not a video ffmpeg can read.',
      errorMessage: 'The file is not a video ffmpeg can read.',
      title: { id: movie.titleId, name: 'Плохой файл', kind: 'movie' },
      episode: null,
      canRetry: true,
      isSourceGone: false,
    })
    expect(new Date(failed.createdAt).toISOString()).toBe(failed.createdAt)
  })

  test('says why a video failed in the language the request asks for', async () => {
    const me = await signUp(server.url)
    await failedUpload(me, 'Язык')
    const [item] = (await myMedia(me, '', { 'accept-language': 'ru-RU,ru;q=0.9' })).items
    expect(item.errorMessage).toBe('Файл не является видео, которое может прочитать ffmpeg.')
    expect(item.error).toBe('The file is not a video ffmpeg can read.')
  })

  test('pages like every other list', async () => {
    const me = await signUp(server.url)
    for (const n of [1, 2, 3]) await upload(me, `titles/${(await addTitle(me, { name: `Paged ${n}` })).id}`, randomVideo(512))
    const second = await myMedia(me, '?page=2&perPage=2')
    expect(second).toMatchObject({ page: 2, perPage: 2, total: 3 })
    expect(second.items.map((item: { title: { name: string } }) => item.title.name)).toEqual(['Paged 1'])
    expectError(await me.get('/api/v1/me/media?perPage=101'), 400, 'invalid_input')
  })

  test('needs a signed-in user', async () => {
    expectError(await new Client(server.url).get('/api/v1/me/media'), 401, 'unauthorized')
  })
})

describe('POST /api/v1/media/:id/retry', () => {
  test('queues a failed video again with a fresh job, for its owner', async () => {
    const { mediaId } = await failedUpload(owner, 'Retry me')
    const [before] = await jobRows(db, mediaId)
    expect(before).toMatchObject({ status: 'failed', attempts: 1 })
    const answer = await owner.post(`/api/v1/media/${mediaId}/retry`)
    expect(answer.status).toBe(202)
    expect(answer.body.media).toMatchObject({ id: mediaId, status: 'queued', error: null, errorCode: null })
    const [job] = await jobRows(db, mediaId)
    expect(job.id).not.toBe(before.id)
    expect(job.attempts).toBeLessThanOrEqual(1)
    // Random bytes fail again, on the first attempt of the new job.
    await waitForMedia(db, mediaId, isFailed, 30_000)
    expect(await jobRows(db, mediaId)).toEqual([expect.objectContaining({ id: job.id, status: 'failed', attempts: 1 })])
  })

  test('an admin may retry anyone’s video; another user may not', async () => {
    const { mediaId } = await failedUpload(owner, 'Admin retries')
    expectError(await other.post(`/api/v1/media/${mediaId}/retry`), 403, 'forbidden')
    expectError(await new Client(server.url).post(`/api/v1/media/${mediaId}/retry`), 401, 'unauthorized')
    expect((await admin.post(`/api/v1/media/${mediaId}/retry`)).status).toBe(202)
  })

  test('refuses what has not failed, and what does not exist', async () => {
    const titleId = (await addTitle(owner, { name: 'Uploading' })).id
    const tus = await createTusUpload(owner, { length: 1000, target: `title:${titleId}` })
    const mediaId = Number(tus.headers.get('media-id'))
    expectError(await owner.post(`/api/v1/media/${mediaId}/retry`), 409, 'media_not_failed')
    expectError(await owner.post('/api/v1/media/999999/retry'), 404, 'media_not_found')
    expectError(await owner.post('/api/v1/media/abc/retry'), 400, 'invalid_input')
  })

  test('refuses once the uploaded file is gone', async () => {
    const { mediaId } = await failedUpload(owner, 'No source')
    const folder = join(server.mediaDir, String(mediaId))
    for (const name of readdirSync(folder)) if (name.startsWith('source.')) rmSync(join(folder, name))
    const answer = await owner.post(`/api/v1/media/${mediaId}/retry`)
    expectError(answer, 409, 'source_gone')
    expect(answer.body.error.message).toMatch(/upload it again/)
    const item = (await myMedia(owner)).items.find((entry: { id: number }) => entry.id === mediaId)
    expect(item).toMatchObject({ canRetry: false, isSourceGone: true })
  })
})

// The ffmpeg processes working on a media folder, found through /proc.
function ffmpegPidsFor(folder: string): number[] {
  return readdirSync('/proc')
    .filter(name => /^\d+$/.test(name))
    .filter(pid => {
      try {
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
        return argv[0].endsWith('ffmpeg') && argv.some(arg => arg.startsWith(folder))
      } catch {
        return false
      }
    })
    .map(Number)
}

describe('the admin’s queue', () => {
  test('cancelling a running job stops its ffmpeg; a retry waits for the worker, then succeeds', async () => {
    const source = await makeSource(join(sources, 'slow.mp4'), {
      width: 1280,
      height: 720,
      durationSec: 20,
      videoFilter: 'noise=alls=40:allf=t',
    })
    const titleId = (await addTitle(owner, { name: 'Cancelled' })).id
    const mediaId = await upload(owner, `titles/${titleId}`, new Uint8Array(readFileSync(source)))
    const folder = join(server.mediaDir, String(mediaId))
    await eventually(() => ffmpegPidsFor(folder).length > 0, 60_000)

    const jobs = (await admin.get('/api/v1/admin/jobs')).body
    const job = jobs.items.find((entry: { mediaId: number }) => entry.mediaId === mediaId)
    expect(job).toMatchObject({ status: 'running', attempts: 1 })
    expect(job.runner).toEqual(expect.any(String))
    expectError(await owner.post(`/api/v1/admin/jobs/${job.id}/cancel`), 403, 'admin_only')

    expect((await admin.post(`/api/v1/admin/jobs/${job.id}/cancel`)).status).toBe(204)
    expect((await admin.get(`/api/v1/media/${mediaId}`)).body.media).toMatchObject({ status: 'failed', errorCode: 'cancelled' })
    expectError(await admin.post(`/api/v1/admin/jobs/${job.id}/cancel`), 409, 'job_not_active')
    // Until the lease of the stopped run ends, nothing may start in its folder.
    expectError(await owner.post(`/api/v1/media/${mediaId}/retry`), 409, 'worker_stopping')
    // A refused retry changes nothing: asked again at once, the same answer.
    expectError(await owner.post(`/api/v1/media/${mediaId}/retry`), 409, 'worker_stopping')
    expect(await jobRows(db, mediaId)).toEqual([expect.objectContaining({ id: job.id, status: 'failed' })])
    await eventually(() => ffmpegPidsFor(folder).length === 0, 10_000)
    // The worker said why it stopped and left only the upload behind.
    await eventually(
      () => new RegExp(`media ${mediaId} attempt 1: stopped after [\\d.]+ s \\(cancelled\\)`).test(server.output()),
      10_000,
    )
    await eventually(() => readdirSync(folder).join() === 'source.mp4', 10_000)

    await eventually(async () => (await owner.post(`/api/v1/media/${mediaId}/retry`)).status === 202, 10_000)
    // The new run works in the same folder from a clean start: it publishes its first segments.
    const playable = await waitForMedia(db, mediaId, row => !!row?.isPlayable, 60_000)
    expect(playable).toMatchObject({ status: 'processing', errorCode: null })
    expect(existsSync(join(folder, 'master.m3u8'))).toBe(true)
    const again = (await admin.get('/api/v1/admin/jobs')).body.items.find((entry: { mediaId: number }) => entry.mediaId === mediaId)
    expect(again).toMatchObject({ status: 'running', attempts: 1 })
    expect(again.id).not.toBe(job.id)
    await admin.post(`/api/v1/admin/jobs/${again.id}/cancel`)
  })

  test('cancelling a queued job takes it out of the queue', async () => {
    // The worker is busy with a long video; the next upload waits behind it.
    const source = await makeSource(join(sources, 'busy.mp4'), {
      width: 1280,
      height: 720,
      durationSec: 20,
      videoFilter: 'noise=alls=40:allf=t',
    })
    const busy = await upload(owner, `titles/${(await addTitle(owner, { name: 'Busy' })).id}`, new Uint8Array(readFileSync(source)))
    await waitForMedia(db, busy, row => row?.status === 'processing', 30_000)
    const waiting = await upload(other, `titles/${(await addTitle(other, { name: 'Waiting' })).id}`, randomVideo(2048))
    const job = (await admin.get('/api/v1/admin/jobs')).body.items.find((entry: { mediaId: number }) => entry.mediaId === waiting)
    expect(job).toMatchObject({ status: 'queued', attempts: 0 })
    const queued = (await admin.get('/api/v1/admin/jobs?status=queued')).body
    expect(queued.items.map((entry: { id: number; status: string }) => [entry.id, entry.status])).toEqual([[job.id, 'queued']])
    expect((await admin.get('/api/v1/admin/jobs?status=running')).body.items).toEqual([
      expect.objectContaining({ mediaId: busy, status: 'running' }),
    ])
    expectError(await admin.get('/api/v1/admin/jobs?status=done'), 400, 'invalid_input')
    expect((await admin.post(`/api/v1/admin/jobs/${job.id}/cancel`)).status).toBe(204)
    expect(await jobRows(db, waiting)).toEqual([expect.objectContaining({ status: 'failed', attempts: 0 })])
    expect((await other.get('/api/v1/me/media')).body.items[0]).toMatchObject({ id: waiting, status: 'failed', canRetry: true })
    const busyJob = (await admin.get('/api/v1/admin/jobs')).body.items.find((entry: { mediaId: number }) => entry.mediaId === busy)
    // The worker is freed for what follows, unless it is done already.
    if (busyJob) await admin.post(`/api/v1/admin/jobs/${busyJob.id}/cancel`)
    expectError(await admin.post('/api/v1/admin/jobs/999999/cancel'), 404, 'job_not_found')
  })
})

describe('FailedSourceDays', () => {
  test('a failed upload’s source is removed after the period; a retry then answers 409', async () => {
    // 0.00006 days is 5.2 s.
    const short = await startServer({ ini: { Workers: 1, FailedSourceDays: 0.00006 } })
    try {
      const me = await signUp(short.url)
      const titleId = (await addTitle(me, { name: 'Expiring' })).id
      const mediaId = await upload(me, `titles/${titleId}`, randomVideo(4096))
      const folder = join(short.mediaDir, String(mediaId))
      const shortDb = openServerDb(short).db
      await waitForMedia(shortDb, mediaId, isFailed, 30_000)
      const hasSource = () => readdirSync(folder).some(name => name.startsWith('source.'))
      expect(hasSource()).toBe(true)
      expect((await myMedia(me)).items[0]).toMatchObject({ canRetry: true, isSourceGone: false })
      await eventually(() => !hasSource(), 15_000)
      // The log line comes right after the removal.
      await eventually(() => short.output().includes(`media ${mediaId}: failed`), 5_000)
      expectError(await me.post(`/api/v1/media/${mediaId}/retry`), 409, 'source_gone')
      expect((await myMedia(me)).items[0]).toMatchObject({ canRetry: false, isSourceGone: true })
    } finally {
      await short.stop()
    }
  })
})

describe('the forms of /me/uploads', () => {
  const form = (client: Client) => ({
    body: new URLSearchParams({ _csrf: client.csrfToken ?? '' }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  })
  const postForm = (client: Client, path: string) => client.post(path, form(client).body, { headers: form(client).headers })

  test('retry and delete only what one may change', async () => {
    const { mediaId } = await failedUpload(owner, 'Form rights')
    expect((await postForm(other, `/me/uploads/${mediaId}/delete`)).status).toBe(403)
    expect((await postForm(other, `/me/uploads/${mediaId}/retry`)).status).toBe(403)
    expect((await owner.get(`/api/v1/media/${mediaId}`)).body.media.status).toBe('failed')
    const retried = await postForm(owner, `/me/uploads/${mediaId}/retry`)
    expect(retried.status).toBe(303)
    expect(retried.headers.get('location')).toBe('/me/uploads')
    expect((await postForm(owner, '/me/uploads/999999/delete')).status).toBe(404)
    await waitForMedia(db, mediaId, isFailed, 30_000)
    expect((await postForm(owner, `/me/uploads/${mediaId}/delete`)).status).toBe(303)
    expect((await owner.get(`/api/v1/media/${mediaId}`)).status).toBe(404)
    expect(existsSync(join(server.mediaDir, String(mediaId)))).toBe(false)
  })

  test('a retry the server refuses is said on the page, in the viewer’s language', async () => {
    const { mediaId } = await failedUpload(owner, 'Refused on the page')
    const folder = join(server.mediaDir, String(mediaId))
    for (const name of readdirSync(folder)) if (name.startsWith('source.')) rmSync(join(folder, name))
    const answer = await owner.post(`/me/uploads/${mediaId}/retry?lang=ru`, form(owner).body, { headers: form(owner).headers })
    expect(answer.status).toBe(409)
    expect(answer.text).toContain('Загруженный файл удалён через некоторое время после сбоя; загрузите видео заново.')
  })
})

describe('what a failed job keeps for admins', () => {
  test('a file ffprobe cannot read keeps ffprobe’s last words on its job', async () => {
    const { mediaId } = await failedUpload(owner, 'Garbage words')
    const [job] = await jobRows(db, mediaId)
    expect(job.stderrTail).toMatch(/Invalid data found when processing input/)
    const listed = (await admin.get('/api/v1/admin/jobs?perPage=100')).body.items.find(
      (entry: { mediaId: number }) => entry.mediaId === mediaId,
    )
    expect(listed).toMatchObject({ status: 'failed', errorCode: 'not_a_video', stderrTail: job.stderrTail })
  })
})
