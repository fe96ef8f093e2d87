// Files built to make the transcoder work or allocate without end, and users who fill the
// queue. Each bomb is made here with ffmpeg, uploaded to a real server with one worker,
// and must end `failed` within its budget with the worker's children under the memory
// cap, while a good upload queued behind it becomes ready. A run that hits a limit is not
// tried again; one user's uploads cannot take every worker; reasons speak the viewer's language.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { eq } from 'drizzle-orm'
import { media } from '../src/db/schema'
import { claimNextJob } from '../src/transcoding/jobs'
import { addTitle, expectError } from './helpers/catalogue'
import { type Client, signUp } from './helpers/client'
import { credentialsOf, createTusUpload, randomVideo, send } from './helpers/media'
import { openRaw } from './helpers/raw-http'
import { watchWorkerChildren } from './helpers/proc'
import { type TestServer, startServer } from './helpers/server'
import { enqueueSourceFile, isFinished, jobRows, makeSource, openServerDb, type TestDb, waitForMedia } from './helpers/transcode'

setDefaultTimeout(120_000)

const memoryCapBytes = 2 * 1024 ** 3
const sources = mkdtempSync(join(tmpdir(), 'moviepoint-bounds-'))
const testEnv = { MOVIEPOINT_X264_PRESET: 'superfast' }
const servers: TestServer[] = []

afterAll(async () => {
  await Promise.all(servers.map(server => server.stop()))
  rmSync(sources, { recursive: true, force: true })
})

async function startTestServer(ini: Record<string, string | number>) {
  const server = await startServer({ ini, env: testEnv })
  servers.push(server)
  return { server, db: openServerDb(server).db }
}

async function ffmpeg(args: string[]): Promise<void> {
  const child = Bun.spawn(['ffmpeg', '-hide_banner', '-loglevel', 'error', '-y', ...args], { stderr: 'pipe' })
  const [stderr, code] = await Promise.all([new Response(child.stderr).text(), child.exited])
  if (code !== 0) throw new Error(`ffmpeg failed: ${stderr}`)
}

// 3.3 MB: 50 frames of 1080p, the last one moved to 86,000 s (under the 24 h a header may declare).
async function makeTimestampBomb(): Promise<string> {
  const path = join(sources, 'timestamp-bomb.mkv')
  await ffmpeg([
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=1920x1080:rate=25',
    '-frames:v',
    '50',
    '-vf',
    "setpts='if(eq(N,49),86000/TB,PTS)'",
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    path,
  ])
  return path
}

// 7 MB: one black 1080p frame as 1,000 streams.
async function makeStreamBomb(): Promise<string> {
  const frame = join(sources, 'frame.mkv')
  await ffmpeg([
    '-f',
    'lavfi',
    '-i',
    'color=c=black:size=1920x1080:rate=25',
    '-frames:v',
    '1',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    frame,
  ])
  const path = join(sources, 'stream-bomb.mkv')
  await ffmpeg(['-i', frame, ...Array.from({ length: 1000 }, () => ['-map', '0:v']).flat(), '-c', 'copy', path])
  return path
}

async function uploadFile(client: Client, path: string): Promise<{ mediaId: number; titleId: number }> {
  const title = await addTitle(client, { name: basename(path) })
  const answer = await send(client, 'PUT', `/api/v1/titles/${title.id}/video?filename=${basename(path)}`, {
    body: new Uint8Array(readFileSync(path)),
  })
  expect(answer.status).toBe(202)
  return { mediaId: (await answer.json()).media.id, titleId: title.id }
}

describe('bombs are refused within their budget, under the memory cap, and the queue goes on', () => {
  let server: TestServer
  let db: TestDb
  let uploader: Awaited<ReturnType<typeof signUp>>
  let good: string

  beforeAll(async () => {
    ;({ server, db } = await startTestServer({ Workers: 1 }))
    uploader = await signUp(server.url)
    good = await makeSource(join(sources, 'good.mp4'), { width: 320, height: 180, durationSec: 2 })
  })

  async function expectRefusedThenQueueGoesOn(bomb: string, code: string) {
    const watch = watchWorkerChildren(server.process.pid)
    try {
      const startedMs = Date.now()
      const refused = await uploadFile(uploader, bomb)
      const behind = await uploadFile(uploader, good)
      const row = await waitForMedia(db, refused.mediaId, isFinished, 60_000)
      const elapsedMs = Date.now() - startedMs
      expect({ status: row.status, errorCode: row.errorCode }).toEqual({ status: 'failed', errorCode: code })
      // The probe's budget (60 s), not the day of work the file asks for.
      expect(elapsedMs).toBeLessThan(60_000)
      expect((await waitForMedia(db, behind.mediaId, isFinished)).status).toBe('ready')
      const api = await uploader.get(`/api/v1/media/${refused.mediaId}`)
      expect(api.body.media).toMatchObject({ status: 'failed', errorCode: code, error: row.error })
      return refused
    } finally {
      watch.stop()
      expect(watch.peakBytes()).toBeGreaterThan(0)
      expect(watch.peakBytes()).toBeLessThan(memoryCapBytes)
      console.log(`${basename(bomb)}: peak RSS of the worker's children ${(watch.peakBytes() / 2 ** 20).toFixed(0)} MiB`)
    }
  }

  test('a timestamp bomb (50 frames of 1080p, the last at 86,000 s) fails at once; the Russian page says why in Russian', async () => {
    const { titleId } = await expectRefusedThenQueueGoesOn(await makeTimestampBomb(), 'timestamp_gap')
    const ru = await uploader.get(`/titles/${titleId}?lang=ru`)
    expect(ru.text).toContain('Не удалось обработать видео.')
    expect(ru.text).toContain('В видео нет кадров на протяжении 23:53:18 после 0:02:')
    expect(ru.text).not.toContain('has no picture')
    const en = await uploader.get(`/titles/${titleId}?lang=en`)
    expect(en.text).toContain('The video has no picture for 23:53:18 after 0:02:')
  })

  test('a stream bomb (1,000 one-frame 1080p streams) is refused before ffprobe allocates gigabytes', async () => {
    await expectRefusedThenQueueGoesOn(await makeStreamBomb(), 'too_many_streams')
  })
})

test('a run stopped by its memory limit fails with a readable reason and is not tried again', async () => {
  const { server, db } = await startTestServer({ Workers: 1, TranscodeMemoryLimit: '200M' })
  const user = await signUp(server.url)
  // A 1080p ladder needs about 500 MB; probing it far less.
  const source = await makeSource(join(sources, 'hd.mp4'), { width: 1920, height: 1080, durationSec: 2 })
  const { mediaId } = await uploadFile(user, source)
  const row = await waitForMedia(db, mediaId, isFinished)
  expect(row).toMatchObject({ status: 'failed', errorCode: 'memory_limit', errorParams: { limitMiB: 200 } })
  expect(row.error).toBe('Processing needed more than 200 MiB of memory, the limit of this server.')
  await Bun.sleep(1500)
  expect(await jobRows(db, mediaId)).toEqual([expect.objectContaining({ status: 'failed', attempts: 1 })])
  expect((await waitForMedia(db, mediaId, isFinished)).status).toBe('failed')
})

describe('one user cannot fill the queue', () => {
  let server: TestServer
  let db: TestDb

  beforeAll(async () => {
    ;({ server, db } = await startTestServer({ Workers: 0, MaxQueuedJobsPerUser: 2 }))
  })

  test('past MaxQueuedJobsPerUser waiting videos, tus, raw PUT and the form are refused with a 429 before any byte', async () => {
    const user = await signUp(server.url)
    const titleId = (await addTitle(user, { name: 'Queue' })).id
    for (let i = 0; i < 2; i += 1) {
      const answer = await send(user, 'PUT', `/api/v1/titles/${titleId}/video`, { body: randomVideo(1000) })
      expect(answer.status).toBe(202)
    }
    // Headers only: the answer must come without the 50 MB it announces.
    const raw = await openRaw(server.url)
    const headers = Object.entries(credentialsOf(user)).map(([name, value]) => `${name}: ${value}`)
    const { host } = new URL(server.url)
    await raw.write(
      [`PUT /api/v1/titles/${titleId}/video HTTP/1.1`, `Host: ${host}`, 'Content-Length: 50000000', ...headers, '', ''].join('\r\n'),
    )
    const head = await raw.head
    raw.socket.destroy()
    expect(head.status).toBe(429)
    expect(JSON.parse(head.body.slice(0, head.body.lastIndexOf('}') + 1)).error.code).toBe('too_many_queued_videos')

    const tus = await createTusUpload(user, { length: 1000, target: `title:${titleId}` })
    expect(tus.status).toBe(429)
    expect((await tus.json()).error.code).toBe('too_many_queued_videos')

    const form = new FormData()
    form.append('file', new Blob([randomVideo(1000)]), 'film.mp4')
    const page = await user.post(`/titles/${titleId}/video?lang=ru`, form)
    expect(page.status).toBe(429)
    expect(page.text).toContain('У вас слишком много видео в очереди')

    const answer = await user.put(`/api/v1/titles/${titleId}/video`, 'x')
    expectError(answer, 429, 'too_many_queued_videos')
    // Nothing more was queued, and another user is not affected.
    const other = await signUp(server.url)
    const otherTitle = (await addTitle(other, { name: 'Other' })).id
    expect((await send(other, 'PUT', `/api/v1/titles/${otherTitle}/video`, { body: randomVideo(1000) })).status).toBe(202)
    const mine = await db.select({ status: media.status }).from(media).where(eq(media.ownerId, user.userId))
    expect(mine).toEqual([{ status: 'queued' }, { status: 'queued' }])
  })
})

test('workers take jobs fairly: the user served least recently goes first, whoever queued more', async () => {
  const { server, db } = await startTestServer({ Workers: 0 })
  const [alice, bob] = [await signUp(server.url), await signUp(server.url)]
  const source = join(sources, 'tiny.bin')
  await Bun.write(source, randomVideo(100))
  const queue = async (user: typeof alice) => {
    const titleId = (await addTitle(user, { name: 'Fair' })).id
    return enqueueSourceFile(server, db, { titleId, ownerId: user.userId, sourcePath: source })
  }
  const alices = [await queue(alice), await queue(alice), await queue(alice)]
  const bobs = [await queue(bob)]
  const claimed: number[] = []
  for (let i = 0; i < 4; i += 1) {
    const job = await claimNextJob(db, { owner: `test:${i}`, leaseMs: 60_000 })
    claimed.push(job!.mediaId)
  }
  // Alice's first job, then Bob's (Alice has one running), then Alice's in order.
  expect(claimed).toEqual([alices[0], bobs[0], alices[1], alices[2]])
})
