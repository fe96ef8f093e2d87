// A worker that lost its job's lease (it stalled past it and another worker took the job
// over) must not change the media any more: every write of its run is lease checked, and
// the first one that finds the job gone stops the run. The lease here outlasts the test, so
// only those writes, not the heartbeat, can notice that the job was taken.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
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
import { jobs } from '../src/db/schema'

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
