// A worker that lost its job's lease (it stalled past it and another worker took the job
// over) must not change the media any more: every write of its run is lease checked, and
// the first one that finds the job gone stops the run. The lease here outlasts the test, so
// only those writes, not the heartbeat, can notice that the job was taken.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import { type Client, signUp } from './helpers/client'
import { type TestServer, startServer } from './helpers/server'
import {
  createMovie,
  enqueueSourceFile,
  ffmpegProcessesFor,
  jobRows,
  makeSource,
  mediaRow,
  openServerDb,
  type TestDb,
  waitForJobLine,
  waitForMedia,
} from './helpers/transcode'
import { jobs, media } from '../src/db/schema'
import type { TranscodePlan } from '../src/transcoding/args'
import { type ClaimedJob, completeJob } from '../src/transcoding/jobs'
import { publishSourceSubtitles } from '../src/transcoding/subtitles'

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
      MOVIEPOINT_JOB_LEASE_MS: '600000',
      MOVIEPOINT_JOB_HEARTBEAT_MS: '300000',
      MOVIEPOINT_JOB_POLL_MS: '200',
    },
  })
  owner = await signUp(server.url)
  db = openServerDb(server).db
  longSource = await makeSource(join(sources, 'long.mkv'), { width: 1280, height: 720, durationSec: 40, audio: ['eng'] })
}, 120_000)
afterAll(async () => {
  await server.stop()
  rmSync(sources, { recursive: true, force: true })
})

describe('a worker whose job was taken over mid-run', () => {
  test('changes its media no more and stops its ffmpeg', async () => {
    const titleId = await createMovie(db, owner.userId)
    const mediaId = await enqueueSourceFile(server, db, { titleId, ownerId: owner.userId, sourcePath: longSource })
    const folder = join(server.mediaDir, String(mediaId))
    await waitForMedia(db, mediaId, row => row.status === 'processing' && row.progress > 0)
    expect(existsSync(folder)).toBe(true)
    // What another worker's claim would leave: the job running under its name.
    await db.update(jobs).set({ leaseOwner: 'other-host:1:thief' }).where(eq(jobs.mediaId, mediaId))
    const taken = await mediaRow(db, mediaId)

    const line = await waitForJobLine(server, mediaId, 30_000)
    expect(line).toContain('(lost)')
    expect(ffmpegProcessesFor(folder)).toEqual([])
    await Bun.sleep(1500)
    const after = await mediaRow(db, mediaId)
    expect(after).toEqual(taken)
    expect(await jobRows(db, mediaId)).toEqual([expect.objectContaining({ status: 'running', leaseOwner: 'other-host:1:thief' })])
  })
})

// The last writes of a run, called as the worker calls them, on a job running under
// `leaseOwner` with a lease that outlasts the test (the server's own worker never claims it).
const thisWorker = 'this-host:1:stalled'

async function runningJob(titleId: number, leaseOwner: string): Promise<ClaimedJob> {
  const [row] = await db.insert(media).values({ titleId, ownerId: owner.userId, status: 'processing' }).returning()
  const leaseExpiresAtMs = Date.now() + 600_000
  const [job] = await db
    .insert(jobs)
    .values({ mediaId: row.id, status: 'running', attempts: 1, leaseOwner, leaseExpiresAtMs })
    .returning()
  return { id: job.id, mediaId: row.id, attempts: 1, owner: thisWorker }
}

async function readyMedia(titleId: number): Promise<number> {
  const [row] = await db.insert(media).values({ titleId, ownerId: owner.userId, status: 'ready', isPlayable: true }).returning()
  return row.id
}

describe('the end of a run', () => {
  test("adds the source's subtitle tracks only while the worker holds the job's lease", async () => {
    const plan = { subtitles: [{ sourceIndex: 2, lang: 'en', name: 'English' }] } as TranscodePlan
    const publish = async (job: ClaimedJob) => {
      const folder = join(server.mediaDir, String(job.mediaId))
      const workDir = join(folder, 'work')
      mkdirSync(join(workDir, 'subs'), { recursive: true })
      writeFileSync(join(workDir, 'subs', 'en.vtt'), 'WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n')
      // The fence lets everything through: the lease checks in the database decide here.
      return publishSourceSubtitles({ db, job, fence: async () => {}, folder, workDir, plan, durationSec: 1 })
    }
    const held = await runningJob(await createMovie(db, owner.userId), thisWorker)
    await publish(held)
    expect((await mediaRow(db, held.mediaId)).subtitles).toEqual([{ lang: 'en', name: 'English' }])

    const taken = await runningJob(await createMovie(db, owner.userId), 'other-host:1:thief')
    await publish(taken)
    expect((await mediaRow(db, taken.mediaId)).subtitles).toEqual([])
  })

  test('retires the older videos of its title in the batch that marks it ready, and nothing once the lease is lost', async () => {
    const titleId = await createMovie(db, owner.userId)
    const older = await readyMedia(titleId)
    const job = await runningJob(titleId, thisWorker)
    await completeJob(db, job, { status: 'ready', progress: 1 })
    expect(await mediaRow(db, older)).toBeUndefined()
    expect((await mediaRow(db, job.mediaId)).status).toBe('ready')

    const otherTitleId = await createMovie(db, owner.userId)
    const kept = await readyMedia(otherTitleId)
    const taken = await runningJob(otherTitleId, 'other-host:1:thief')
    await completeJob(db, taken, { status: 'ready', progress: 1 })
    expect((await mediaRow(db, kept)).status).toBe('ready')
    expect((await mediaRow(db, taken.mediaId)).status).toBe('processing')
  })
})
