// The origin's half of remote runners, over real HTTP: a real server (Workers=0, so only
// runners take jobs), real ffmpeg sources, and a small scripted runner in this file that
// speaks the protocol — registering, claiming, downloading the source with Range, running
// the commands it is given with the real ffmpeg, uploading what they wrote and reporting
// exits — until a job is `ready` and played from the origin. Then the refusals: tokens of
// the wrong kind or job, upload names outside the job's work folder, other bytes, too many
// bytes, and a runner that goes silent.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { createRegistrationToken, revokeRunner } from '../src/runners/tokens'
import type { ClaimAnswer, CommandAnswer } from '../src/runners/protocol'
import { type Json, signUp } from './helpers/client'
import { eventually, filesIn, sha256 } from './helpers/media'
import { openRaw, rawRequest } from './helpers/raw-http'
import { type TestServer, startServer } from './helpers/server'
import {
  createMovie,
  enqueueSourceFile,
  jobRows,
  makeSource,
  mediaRow,
  openServerDb,
  type TestDb,
  waitForMedia,
} from './helpers/transcode'

setDefaultTimeout(120_000)

const leaseMs = 3000
// Room for the job's real outputs, and little more: the budget is reached with a few MiB.
const uploadSlackBytes = 4 * 1024 ** 2
const scratch = mkdtempSync(join(tmpdir(), 'moviepoint-runner-test-'))
let server: TestServer
let db: TestDb
let ownerId: number
let sourcePath: string
let registrationToken: string

type Answer = { status: number; body: Json; headers: Headers }

async function call(method: string, path: string, token: string | null, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {}
  if (body !== undefined) headers['content-type'] = 'application/json'
  const response = await fetch(`${server.url}/api/v1/runners${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers }
}

const put = (jobId: number, token: string, path: string, bytes: Uint8Array<ArrayBuffer> | string) =>
  fetch(`${server.url}/api/v1/runners/jobs/${jobId}/files/${path}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body: bytes,
  }).then(async response => ({ status: response.status, body: await response.json() }))

async function register(name: string) {
  const answer = await call('POST', '/register', null, { registrationToken, name })
  expect(answer.status).toBe(201)
  return answer.body as { runnerId: number; runnerToken: string }
}

async function claim(runnerToken: string, signal?: AbortSignal): Promise<ClaimAnswer['job']> {
  const response = await fetch(`${server.url}/api/v1/runners/claim`, {
    method: 'POST',
    headers: { authorization: `Bearer ${runnerToken}` },
    signal,
  })
  expect(response.status).toBe(200)
  return ((await response.json()) as ClaimAnswer).job
}

// Heartbeats every heartbeatMs until stopped; the last answer's status is kept.
function keepAlive(job: ClaimAnswer['job']) {
  const state = { lastStatus: 0 }
  const timer = setInterval(async () => {
    const answer = await call('POST', `/jobs/${job.id}/heartbeat`, job.token, { commands: [] }).catch(() => null)
    state.lastStatus = answer?.status ?? 0
  }, job.heartbeatMs)
  return { state, stop: () => clearInterval(timer) }
}

async function nextCommand(job: ClaimAnswer['job'], after: number): Promise<CommandAnswer> {
  for (;;) {
    const answer = await call('GET', `/jobs/${job.id}/commands?after=${after}`, job.token)
    if (answer.status === 200) return answer.body
    expect(answer.status).toBe(204)
  }
}

// Segments, pictures and subtitles first, then the playlists that list them.
async function uploadWorkFolder(job: ClaimAnswer['job'], folder: string, sent: Map<string, string>) {
  const workDir = join(folder, '.work', String(job.attempt))
  const files = (readdirSync(workDir, { recursive: true }) as string[])
    .filter(file => statSync(join(workDir, file)).isFile() && !file.endsWith('.tmp'))
    .map(file => relative(folder, join(workDir, file)))
    .sort((a, b) => Number(a.endsWith('.m3u8')) - Number(b.endsWith('.m3u8')))
  for (const path of files) {
    const bytes = new Uint8Array(readFileSync(join(folder, path)))
    const hash = sha256(bytes)
    if (sent.get(path) === hash) continue
    const answer = await put(job.id, job.token, path, bytes)
    expect([200, 201]).toContain(answer.status)
    sent.set(path, hash)
  }
}

// What the scripted runner does before it starts a command's ffmpeg, and once the files are
// up before it reports the exit.
type RunHooks = { beforeRun?: (n: number) => Promise<void>; beforeExit?: (n: number) => Promise<void> }

// Runs one command with the real ffmpeg in the runner's job folder, uploads what it wrote, reports its exit.
async function runCommand(
  job: ClaimAnswer['job'],
  folder: string,
  command: NonNullable<Extract<CommandAnswer, { command: unknown }>['command']>,
  sent: Map<string, string>,
  hooks: RunHooks = {},
) {
  await hooks.beforeRun?.(command.n)
  for (const made of command.folders) mkdirSync(join(folder, made), { recursive: true })
  const args = command.args.map(arg => arg.replaceAll('{media}', folder))
  const child = Bun.spawn(['ffmpeg', ...args], { stdout: 'ignore', stderr: 'pipe' })
  const [stderr, code] = await Promise.all([new Response(child.stderr).text(), child.exited])
  await uploadWorkFolder(job, folder, sent)
  await hooks.beforeExit?.(command.n)
  const exit = { code, stderrTail: stderr.slice(-2000), limitHit: null, peakRssBytes: 0 }
  expect((await call('POST', `/jobs/${job.id}/commands/${command.n}/exit`, job.token, exit)).status).toBe(204)
}

// The scripted runner's work on a claimed job, from the first command to `done`.
async function runJob(job: ClaimAnswer['job'], folder: string, hooks?: RunHooks) {
  const sent = new Map<string, string>()
  const running: Promise<void>[] = []
  for (let after = 0; ; ) {
    const answer = await nextCommand(job, after)
    if ('done' in answer) break
    after = answer.command.n
    running.push(runCommand(job, folder, answer.command, sent, hooks))
  }
  await Promise.all(running)
}

async function queueFilm(): Promise<number> {
  const titleId = await createMovie(db, ownerId)
  return enqueueSourceFile(server, db, { titleId, ownerId, sourcePath })
}

beforeAll(async () => {
  server = await startServer({
    env: {
      MOVIEPOINT_JOB_LEASE_MS: String(leaseMs),
      MOVIEPOINT_JOB_HEARTBEAT_MS: '500',
      MOVIEPOINT_JOB_POLL_MS: '100',
      MOVIEPOINT_X264_PRESET: 'ultrafast',
      MOVIEPOINT_RUNNER_UPLOAD_SLACK_BYTES: String(uploadSlackBytes),
    },
  })
  db = openServerDb(server).db
  ownerId = (await signUp(server.url)).userId
  sourcePath = await makeSource(join(scratch, 'film.mkv'), { width: 320, height: 240, durationSec: 4, audio: ['eng'] })
  registrationToken = (await createRegistrationToken(db, { label: 'test', createdBy: null })).token
})
afterAll(async () => {
  await server.stop()
  rmSync(scratch, { recursive: true, force: true })
})

describe('registering and runner tokens', () => {
  test('a registration token buys a runner token; an unknown one is refused', async () => {
    const runner = await register('box 1')
    expect(runner.runnerToken).toStartWith('mprt_')
    const refused = await call('POST', '/register', null, { registrationToken: 'mprr_nope', name: 'box 2' })
    expect(refused.status).toBe(401)
    expect(refused.body.error.code).toBe('registration_token_invalid')
  })

  test('a revoked runner cannot claim', async () => {
    const runner = await register('to revoke')
    await revokeRunner(db, runner.runnerId)
    const refused = await call('POST', '/claim', runner.runnerToken)
    expect(refused.status).toBe(401)
    expect(refused.body.error.code).toBe('runner_token_invalid')
  })

  test("runner and job tokens never count against the account tokens' throttle", async () => {
    for (let i = 0; i < 60; i++) {
      const claimAnswer = await call('POST', '/claim', `mprt_unknown${i}`)
      expect([claimAnswer.status, claimAnswer.body.error.code]).toEqual([401, 'runner_token_invalid'])
      const jobAnswer = await call('POST', '/jobs/1/heartbeat', `mprj_unknown${i}`, { commands: [] })
      expect([jobAnswer.status, jobAnswer.body.error.code]).toEqual([410, 'job_gone'])
    }
    // An unknown account token is still just unknown, not "too many attempts".
    const me = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: 'Bearer mp_unknown' } })
    expect(me.status).toBe(401)
  })
})

describe('a job through a runner', () => {
  let mediaX: number
  let mediaY: number
  let jobX: ClaimAnswer['job']
  let jobY: ClaimAnswer['job']
  let runnerA: { runnerId: number; runnerToken: string }
  let runnerB: { runnerId: number; runnerToken: string }
  let aliveX: ReturnType<typeof keepAlive>
  const folderX = join(scratch, 'runner-x')

  test('the claim answers the job token, the probe and the plan, paths as {media}', async () => {
    mediaX = await queueFilm()
    mediaY = await queueFilm()
    runnerA = await register('runner a')
    runnerB = await register('runner b')
    jobX = await claim(runnerA.runnerToken)
    aliveX = keepAlive(jobX)
    expect(jobX.mediaId).toBe(mediaX)
    expect(jobX.attempt).toBe(1)
    expect(jobX.token).toStartWith('mprj_')
    expect(jobX.probe.durationSec).toBeCloseTo(4, 0)
    expect(jobX.plan.sourcePath).toBe('{media}/source.mkv')
    expect(jobX.plan.rungs.length).toBeGreaterThan(0)
    const size = Bun.file(sourcePath).size
    expect(jobX.source).toMatchObject({ path: 'source.mkv', sizeBytes: size })
    expect(jobX.uploadLimitBytes).toBe(4 * size + uploadSlackBytes)
    jobY = await claim(runnerB.runnerToken)
    expect(jobY.mediaId).toBe(mediaY)
  })

  test('the source downloads whole and resumes from an offset (Range, If-Range)', async () => {
    const original = readFileSync(sourcePath)
    const url = `${server.url}/api/v1/runners/jobs/${jobX.id}/source`
    const auth = { authorization: `Bearer ${jobX.token}` }
    const whole = await fetch(url, { headers: auth })
    expect(whole.status).toBe(200)
    expect(whole.headers.get('accept-ranges')).toBe('bytes')
    expect(whole.headers.get('etag')).toBe(jobX.source.etag)
    const offset = 1000
    const rest = await fetch(url, { headers: { ...auth, range: `bytes=${offset}-`, 'if-range': jobX.source.etag } })
    expect(rest.status).toBe(206)
    expect(rest.headers.get('content-range')).toBe(`bytes ${offset}-${original.length - 1}/${original.length}`)
    const resumed = Buffer.concat([original.subarray(0, offset), Buffer.from(await rest.arrayBuffer())])
    expect(sha256(resumed)).toBe(sha256(original))
    expect(sha256(new Uint8Array(await whole.arrayBuffer()))).toBe(sha256(original))
    // The file changed (another etag): the whole file again.
    const stale = await fetch(url, { headers: { ...auth, range: `bytes=${offset}-`, 'if-range': '"other"' } })
    expect(stale.status).toBe(200)
    await stale.arrayBuffer()
    const pastTheEnd = await fetch(url, { headers: { ...auth, range: `bytes=${original.length}-` } })
    expect(pastTheEnd.status).toBe(416)
    expect(pastTheEnd.headers.get('content-range')).toBe(`bytes */${original.length}`)
    mkdirSync(folderX, { recursive: true })
    await Bun.write(join(folderX, jobX.source.path), resumed)
  })

  test("a job token opens only its own job's routes", async () => {
    const onOtherJob = await call('POST', `/jobs/${jobY.id}/heartbeat`, jobX.token, { commands: [] })
    expect(onOtherJob.status).toBe(403)
    expect(onOtherJob.body.error.code).toBe('job_token_mismatch')
    const otherSource = await fetch(`${server.url}/api/v1/runners/jobs/${jobY.id}/source`, {
      headers: { authorization: `Bearer ${jobX.token}` },
    })
    expect(otherSource.status).toBe(403)
    const asRunner = await call('POST', '/claim', jobX.token)
    expect(asRunner.status).toBe(401)
    const runnerOnJob = await call('POST', `/jobs/${jobX.id}/heartbeat`, runnerA.runnerToken, { commands: [] })
    expect(runnerOnJob.status).toBe(401)
    const upload = await put(jobY.id, jobX.token, `.work/${jobY.attempt}/stream_0/data0000.ts`, 'x')
    expect(upload.status).toBe(403)
  })

  test('uploads outside the attempt work folder or the layout are refused, and nothing lands outside the media folder', async () => {
    // The first command exists once the origin has made the work folder.
    await nextCommand(jobX, 0)
    const work = `.work/${jobX.attempt}`
    // Everything under the server's folder but this media's own folder.
    const outsideMedia = () =>
      (readdirSync(server.dir, { recursive: true }) as string[]).filter(path => !path.startsWith(join('media', String(mediaX)))).sort()
    const before = outsideMedia()
    const refusedPaths = [
      `${work}/stream_0/..%2F..%2F..%2Fescaped.ts`,
      `${work}/%2e%2e/%2e%2e/escaped.ts`,
      `.work/${jobX.attempt + 1}/stream_0/data0000.ts`,
      `${work}/stream_0/data0000.exe`,
      `${work}/stream_0/data0000`,
      `${work}/no_such_folder/data0000.ts`,
      `${work}/stream_0/deeper/data0000.ts`,
      `${work}/stream_0/.hidden.ts`,
      'source.mkv',
      'poster.jpg',
      `${work}`,
    ]
    for (const path of refusedPaths) {
      const answer = await put(jobX.id, jobX.token, path, 'bytes')
      expect({ path, status: answer.status, code: answer.body.error?.code }).toEqual({ path, status: 400, code: 'invalid_output_name' })
    }
    // As sent, `..` and all (fetch would have resolved them).
    for (const path of [`${work}/../../../escaped.ts`, `${work}/stream_0/../../../../escaped.ts`]) {
      const raw = await rawRequest(
        server.url,
        [`PUT /api/v1/runners/jobs/${jobX.id}/files/${path} HTTP/1.1`, `Authorization: Bearer ${jobX.token}`, 'Content-Length: 5'],
        'bytes',
      )
      expect(raw.status).toBeGreaterThanOrEqual(400)
      expect(raw.status).toBeLessThan(500)
    }
    expect(outsideMedia()).toEqual(before)
    expect(filesIn(dirname(server.dir)).filter(file => file.endsWith('escaped.ts'))).toEqual([])
  })

  test('the same bytes twice are fine, other bytes are a conflict, a working playlist may grow', async () => {
    const path = `.work/${jobX.attempt}/stream_0/data9999.ts`
    expect((await put(jobX.id, jobX.token, path, 'first bytes')).status).toBe(201)
    const again = await put(jobX.id, jobX.token, path, 'first bytes')
    expect(again.status).toBe(200)
    expect(again.body.sha256).toBe(sha256(new TextEncoder().encode('first bytes')))
    const other = await put(jobX.id, jobX.token, path, 'other bytes')
    expect(other.status).toBe(409)
    expect(other.body.error.code).toBe('output_conflict')
    expect(readFileSync(join(server.mediaDir, String(mediaX), path), 'utf8')).toBe('first bytes')
    const playlist = `.work/${jobX.attempt}/scratch.m3u8`
    expect((await put(jobX.id, jobX.token, playlist, '#EXTM3U\n')).status).toBe(201)
    expect((await put(jobX.id, jobX.token, playlist, '#EXTM3U\n#EXT-X-VERSION:3\n')).status).toBe(200)
  })

  test("a body over the job's upload budget is refused before it is read", async () => {
    const connection = await openRaw(server.url)
    const { host } = new URL(server.url)
    const lines = [
      `PUT /api/v1/runners/jobs/${jobX.id}/files/.work/${jobX.attempt}/stream_0/data8888.ts HTTP/1.1`,
      `Authorization: Bearer ${jobX.token}`,
      `Content-Length: ${jobX.uploadLimitBytes + 1}`,
      `Host: ${host}`,
    ]
    await connection.write(`${lines.join('\r\n')}\r\n\r\n`)
    const head = await connection.head
    connection.socket.destroy()
    expect(head.status).toBe(413)
    expect(head.body).toContain('payload_too_large')
  })

  test('the runner runs the commands, uploads what they wrote, and the job is ready and served', async () => {
    // The uploaded playlists alone publish the segments they list: the film is watchable
    // before the runner even says its ffmpeg has ended.
    let playableBeforeExit = false
    const beforeRun = async (n: number) => {
      if (n !== 1) return
      // Progress rides on the heartbeat: half the film done is half the progress bar.
      const progress = { out_time_us: String(2_000_000), progress: 'continue' }
      const beat = await call('POST', `/jobs/${jobX.id}/heartbeat`, jobX.token, { commands: [{ n, progress, stderrTail: '' }] })
      expect(beat.body).toEqual({ cancelled: [] })
      await waitForMedia(db, mediaX, current => Math.abs((current?.progress ?? 0) - 0.5) < 0.05, 10_000)
    }
    await runJob(jobX, folderX, {
      beforeRun,
      beforeExit: async n => {
        if (n !== 1) return
        const row = await waitForMedia(db, mediaX, current => current?.isPlayable === true, 30_000)
        const master = await fetch(`${server.url}/media/${mediaX}/master.m3u8`)
        playableBeforeExit = row.status === 'processing' && master.status === 200
        await master.arrayBuffer()
      },
    })
    expect(playableBeforeExit).toBe(true)
    aliveX.stop()
    expect(aliveX.state.lastStatus).toBe(200)
    const row = await waitForMedia(db, mediaX, current => current?.status !== 'processing' && current?.status !== 'queued', 60_000)
    expect(row.status).toBe('ready')
    const master = await fetch(`${server.url}/media/${mediaX}/master.m3u8`)
    expect(master.status).toBe(200)
    const masterText = await master.text()
    const variant = masterText.split('\n').find(line => line.endsWith('.m3u8'))
    expect(variant).toBeDefined()
    const playlist = await (await fetch(`${server.url}/media/${mediaX}/${variant}`)).text()
    const segments = playlist.split('\n').filter(line => line.endsWith('.ts'))
    expect(segments.length).toBeGreaterThan(0)
    const segment = await fetch(`${server.url}/media/${mediaX}/${segments[0]}`)
    expect(segment.status).toBe(200)
    expect(segment.headers.get('content-type')).toContain('video/mp2t')
    expect((await segment.arrayBuffer()).byteLength).toBeGreaterThan(1000)
    // The attempt is over: the runner hears `done`, and its token opens nothing more.
    expect((await call('GET', `/jobs/${jobX.id}/commands?after=99`, jobX.token)).body).toEqual({ done: true })
    expect((await call('POST', `/jobs/${jobX.id}/heartbeat`, jobX.token, { commands: [] })).status).toBe(410)
    expect(readdirSync(join(server.mediaDir, String(mediaX)))).not.toContain('.work')
  })

  test("a silent runner's job goes back to the queue after its lease, and fails after the last attempt", async () => {
    // Runner B claimed job Y and never said a word since: after a lease, the origin stops
    // the attempt it ran for B (and logs it).
    const stopped = `job ${jobY.id} media ${mediaY} attempt 1: stopped after`
    await eventually(() => server.output().includes(stopped) && server.output().includes('(lost)'), 3 * leaseMs)
    const runnerC = await register('runner c')
    const second = await claim(runnerC.runnerToken)
    expect(second.id).toBe(jobY.id)
    expect(second.attempt).toBe(2)
    // The old token is gone with its session.
    expect((await call('POST', `/jobs/${jobY.id}/heartbeat`, jobY.token, { commands: [] })).status).toBe(410)
    const third = await claim(runnerC.runnerToken)
    expect(third.id).toBe(jobY.id)
    expect(third.attempt).toBe(3)
    // A revoked runner's job is refused at its next call.
    expect((await call('POST', `/jobs/${third.id}/heartbeat`, third.token, { commands: [] })).status).toBe(200)
    await revokeRunner(db, runnerC.runnerId)
    expect((await call('POST', `/jobs/${third.id}/heartbeat`, third.token, { commands: [] })).status).toBe(410)
    // Silent again: nothing is left to claim, and the film failed with a reason people can read.
    const waiting = new AbortController()
    const lastClaim = fetch(`${server.url}/api/v1/runners/claim`, {
      method: 'POST',
      headers: { authorization: `Bearer ${runnerB.runnerToken}` },
      signal: waiting.signal,
    }).catch(() => null)
    const row = await waitForMedia(db, mediaY, current => current?.status === 'failed', 30_000)
    waiting.abort()
    await lastClaim
    expect(row.error).toContain('stopped 3 times')
    expect((await mediaRow(db, mediaY)).status).toBe('failed')
  })
})

describe('a claim and then a shutdown', () => {
  let mediaId: number
  let job: ClaimAnswer['job']
  let alive: ReturnType<typeof keepAlive>

  test('a file the origin cannot read fails while probing; the claim goes on to the next job', async () => {
    const titleId = await createMovie(db, ownerId)
    const garbage = join(scratch, 'garbage.mkv')
    await Bun.write(garbage, crypto.getRandomValues(new Uint8Array(64 * 1024)))
    const broken = await enqueueSourceFile(server, db, { titleId, ownerId, sourcePath: garbage })
    mediaId = await queueFilm()
    const runner = await register('runner at shutdown')
    job = await claim(runner.runnerToken)
    alive = keepAlive(job)
    expect(job.mediaId).toBe(mediaId)
    const row = await mediaRow(db, broken)
    expect(row.status).toBe('failed')
    expect(row.error).toBeTruthy()
  })

  test('a body without a length is cut at the budget, and nothing of it is kept', async () => {
    const path = `.work/${job.attempt}/stream_0/data7777.ts`
    const chunk = new Uint8Array(256 * 1024)
    let sentBytes = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sentBytes > job.uploadLimitBytes + chunk.length) return controller.close()
        sentBytes += chunk.length
        controller.enqueue(chunk)
      },
    })
    await nextCommand(job, 0)
    const answer = await fetch(`${server.url}/api/v1/runners/jobs/${job.id}/files/${path}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${job.token}` },
      body,
    })
    expect(answer.status).toBe(413)
    expect(((await answer.json()) as Json).error.code).toBe('payload_too_large')
    const folder = join(server.mediaDir, String(job.mediaId), '.work', String(job.attempt), 'stream_0')
    expect(readdirSync(folder)).toEqual([])
  })

  test("server shutdown puts a runner's running job back in the queue, its attempt not counted", async () => {
    await nextCommand(job, 0)
    server.process.kill('SIGTERM')
    expect(await server.process.exited).toBe(0)
    alive.stop()
    const [row] = await jobRows(db, mediaId)
    expect(row).toMatchObject({ status: 'queued', attempts: 0, leaseOwner: null })
    expect((await mediaRow(db, mediaId)).status).toBe('queued')
  })
})
