// A worker is safe to kill at any point, and a media deleted mid-transcode stops its job.
// Leases are shortened (3 s, renewed every 0.5 s) so that a dead worker's job is taken
// over quickly.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Client, signUp } from './helpers/client'
import { type TestServer, startServer } from './helpers/server'
import {
  createMovie,
  enqueueSourceFile,
  ffmpegProcessesFor,
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
import { jobs, media } from '../src/db/schema'
import { parseMediaPlaylist } from '../src/hls/playlists'
import { parseMasterPlaylist } from './helpers/playlists'

setDefaultTimeout(120_000)

const sources = mkdtempSync(join(tmpdir(), 'moviepoint-sources-'))
let server: TestServer
let db: TestDb
let owner: Client & { userId: number }
let longSource: string

beforeAll(async () => {
  server = await startServer({
    ini: { Workers: 1 },
    env: {
      MOVIEPOINT_X264_PRESET: 'superfast',
      MOVIEPOINT_JOB_LEASE_MS: '3000',
      MOVIEPOINT_JOB_HEARTBEAT_MS: '500',
      MOVIEPOINT_JOB_POLL_MS: '200',
    },
  })
  owner = await signUp(server.url)
  const opened = openServerDb(server)
  db = opened.db
  longSource = await makeSource(join(sources, 'long.mkv'), { width: 1280, height: 720, durationSec: 14, audio: ['eng'] })
}, 120_000)
afterAll(async () => {
  await server.stop()
  rmSync(sources, { recursive: true, force: true })
})

const folderOf = (mediaId: number) => join(server.mediaDir, String(mediaId))

// Enqueued and well under way: running, with its first segments published.
async function startLongJob(): Promise<{ mediaId: number; workerPid: number }> {
  const titleId = await createMovie(db, owner.userId)
  const mediaId = await enqueueSourceFile(server, db, { titleId, ownerId: owner.userId, sourcePath: longSource })
  await until(async () => existsSync(join(folderOf(mediaId), 'stream_0', 'data0000.ts')))
  const [job] = await jobRows(db, mediaId)
  expect(job.status).toBe('running')
  expect((await mediaRow(db, mediaId)).status).toBe('processing')
  return { mediaId, workerPid: pidOfLeaseOwner(job.leaseOwner)! }
}

describe('a worker killed with kill -9 in the middle of a job', () => {
  test('its ffmpeg dies with it, the job is redone by the restarted worker from a clean state', async () => {
    const { mediaId, workerPid } = await startLongJob()
    const folder = folderOf(mediaId)
    expect(ffmpegProcessesFor(folder).length).toBeGreaterThan(0)
    process.kill(workerPid, 'SIGKILL')
    // The kernel takes ffmpeg down with its worker (no orphan keeps encoding).
    await until(async () => ffmpegProcessesFor(join(folder, '.work', '1')).length === 0, 5000)

    const row = await waitForMedia(db, mediaId, isFinished)
    expect(row).toMatchObject({ status: 'ready', progress: 1, error: null })
    const [job] = await jobRows(db, mediaId)
    expect(job).toMatchObject({ status: 'done', attempts: 2 })
    // The worker logs its line once the last files are in place.
    await until(async () => new RegExp(`job ${job.id} media ${mediaId} attempt 2: ready`).test(server.output()), 10_000)

    // The output is whole: every rendition finished, all segments there, nothing extra.
    const master = parseMasterPlaylist(await Bun.file(join(folder, 'master.m3u8')).text())
    expect(master.variants.map(v => v.attributes.RESOLUTION)).toEqual(['1280x720', '854x480', '640x360'])
    for (const name of ['stream_0', 'stream_1', 'stream_2', 'audio_en']) {
      const playlist = await Bun.file(join(folder, `${name}.m3u8`)).text()
      expect(playlist).toContain('#EXT-X-ENDLIST')
      const { segments } = parseMediaPlaylist(playlist)
      expect(segments.reduce((sum, s) => sum + s.durationSec, 0)).toBeCloseTo(14, 0)
      // Listed as `<name>/dataNNNN.ts`, or `…?a=2` when the retry's bytes are its own.
      expect(readdirSync(join(folder, name)).sort()).toEqual(segments.map(s => s.uri.split('/')[1].split('?')[0]).sort())
    }
    expect(readdirSync(folder).filter(name => name.startsWith('.'))).toEqual([])
    expect(ffmpegProcessesFor(folder)).toEqual([])
  })
})

describe('a job whose worker died on every attempt', () => {
  test('is failed after the third, with its media, instead of being retried forever', async () => {
    const titleId = await createMovie(db, owner.userId)
    const [row0] = await db.insert(media).values({ titleId, ownerId: owner.userId, status: 'processing' }).returning()
    const mediaId = row0.id
    // As a third worker killed mid-job would leave it: running, its lease run out.
    await db
      .insert(jobs)
      .values({ mediaId, status: 'running', attempts: 3, leaseOwner: 'gone:1:dead', leaseExpiresAtMs: Date.now() - 1000 })
    const row = await waitForMedia(db, mediaId, isFinished)
    expect(row.status).toBe('failed')
    expect(row.error).toContain('stopped 3 times')
    expect(await jobRows(db, mediaId)).toEqual([expect.objectContaining({ status: 'failed', attempts: 3, leaseOwner: null })])
  })
})

describe('deleting a media while it is transcoded', () => {
  test('stops its ffmpeg, removes its files, does not bring the folder back; the worker goes on', async () => {
    const { mediaId } = await startLongJob()
    const folder = folderOf(mediaId)
    expect((await owner.delete(`/api/v1/media/${mediaId}`)).status).toBe(204)

    await until(async () => ffmpegProcessesFor(folder).length === 0, 5000)
    await until(async () => server.output().includes(`media ${mediaId} attempt 1: stopped`), 5000)
    expect(server.output()).toMatch(new RegExp(`media ${mediaId} attempt 1: stopped after [\\d.]+ s \\(media_deleted\\)`))
    // A while later it is still gone: nothing recreated it.
    await Bun.sleep(1500)
    expect(existsSync(folder)).toBe(false)
    expect(await mediaRow(db, mediaId)).toBeUndefined()
    expect(await jobRows(db, mediaId)).toEqual([])

    // The same worker takes the next job.
    const small = await makeSource(join(sources, 'after.mp4'), { width: 320, height: 180, durationSec: 2 })
    const nextId = await enqueueSourceFile(server, db, {
      titleId: await createMovie(db, owner.userId),
      ownerId: owner.userId,
      sourcePath: small,
    })
    expect((await waitForMedia(db, nextId, isFinished)).status).toBe('ready')
  })
})

describe('`bun run worker`: a worker started alone with the server config', () => {
  test('takes jobs; SIGTERM puts its job back in the queue without counting an attempt', async () => {
    const alone = await startServer({ ini: { Workers: 0 } })
    const env = { ...process.env, MOVIEPOINT_CONFIG: alone.iniPath, MOVIEPOINT_X264_PRESET: 'superfast', MOVIEPOINT_JOB_POLL_MS: '200' }
    const startWorker = () =>
      Bun.spawn(['bun', 'run', 'worker'], { cwd: join(import.meta.dir, '..'), env, stdout: 'pipe', stderr: 'pipe' })
    const { client, db: aloneDb } = openServerDb(alone)
    let second: ReturnType<typeof startWorker> | null = null
    try {
      const user = await signUp(alone.url)
      const mediaId = await enqueueSourceFile(alone, aloneDb, {
        titleId: await createMovie(aloneDb, user.userId),
        ownerId: user.userId,
        sourcePath: longSource,
      })
      const first = startWorker()
      const folder = join(alone.mediaDir, String(mediaId))
      await until(async () => existsSync(join(folder, 'stream_0', 'data0000.ts')))
      first.kill('SIGTERM')
      expect(await first.exited).toBe(0)
      expect(ffmpegProcessesFor(folder)).toEqual([])
      expect(await jobRows(aloneDb, mediaId)).toEqual([expect.objectContaining({ status: 'queued', attempts: 0, leaseOwner: null })])
      expect(await mediaRow(aloneDb, mediaId)).toMatchObject({ status: 'queued', isPlayable: false })
      expect(readdirSync(folder)).toEqual(['source.mkv'])

      second = startWorker()
      expect((await waitForMedia(aloneDb, mediaId, isFinished)).status).toBe('ready')
      expect(await jobRows(aloneDb, mediaId)).toEqual([expect.objectContaining({ status: 'done', attempts: 1 })])
    } finally {
      second?.kill('SIGTERM')
      await second?.exited
      client.close()
      await alone.stop()
    }
  })
})
