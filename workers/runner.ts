// `bun run runner --server URL --token TOKEN [--name N] [--dir D] [--ffmpeg PATH]`: a
// transcoding runner on another machine. It needs ffmpeg, Bun and a token, nothing else: it
// speaks plain HTTP to the origin (README "More machines"), never to its database or media
// folder. A registration token (`mprr_…`, made on /admin/runners) is traded once for this
// runner's own token, kept in `<dir>/runner.json` (mode 600) for later starts.
//
// It takes one job at a time and logs one line per job. Safe to kill at any point (kill -9
// included): ffmpeg dies with it, the origin's lease runs out and the job goes to the next
// claimant; a restarted runner resumes a source download from the bytes it has.
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { call, OriginRefused } from '../src/runners/client/api'
import { forgetOldSources } from '../src/runners/client/download'
import { type ClaimAnswer, type Registered, runnerApiPrefix, tokenPrefixes } from '../src/runners/protocol'
import { type JobResult, type RemoteJob, runRemoteJob } from '../src/runners/client/session'

type Identity = { server: string; runnerId: number; runnerToken: string }

const { values: flags } = parseArgs({
  options: {
    server: { type: 'string' },
    token: { type: 'string' },
    name: { type: 'string', default: hostname() },
    dir: { type: 'string', default: join(process.cwd(), 'data', 'runner') },
    ffmpeg: { type: 'string', default: 'ffmpeg' },
  },
})
const dir = resolve(flags.dir)
const identityPath = join(dir, 'runner.json')
const stop = new AbortController()

function fail(message: string): never {
  console.error(`runner: ${message}`)
  process.exit(1)
}

async function savedIdentity(): Promise<Identity | null> {
  const text = await readFile(identityPath, 'utf8').catch(() => null)
  return text === null ? null : (JSON.parse(text) as Identity)
}

async function register(server: string, registrationToken: string): Promise<Identity> {
  const answer = await fetch(new URL(`${runnerApiPrefix}/register`, server), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ registrationToken, name: flags.name }),
  })
  if (answer.status !== 201) fail(`registration refused (${answer.status}): ${await answer.text()}`)
  const { runnerId, runnerToken } = (await answer.json()) as Registered
  const identity = { server, runnerId, runnerToken }
  await mkdir(dir, { recursive: true })
  await writeFile(identityPath, JSON.stringify(identity), { mode: 0o600 })
  await chmod(identityPath, 0o600)
  return identity
}

// The saved identity for this server, or a new one from a registration token.
async function identify(): Promise<Identity> {
  const saved = await savedIdentity()
  const server = flags.server ?? saved?.server ?? fail('--server URL is needed')
  if (saved && saved.server === server) return saved
  if (!flags.token?.startsWith(tokenPrefixes.registration))
    fail(`--token mprr_… (a registration token from ${server}/admin/runners) is needed`)
  return register(server, flags.token)
}

function describe(job: RemoteJob, result: JobResult, elapsedSec: string): string {
  const head = `job ${job.id} media ${job.mediaId} attempt ${job.attempt}`
  switch (result.kind) {
    case 'done': {
      const resumed = result.resumedFromBytes > 0 ? `, source resumed from byte ${result.resumedFromBytes}` : ''
      if (result.stopped > 0)
        return `${head}: ended by the origin after ${elapsedSec} s (${result.stopped} of ${result.commands} commands stopped${resumed})`
      return `${head}: done in ${elapsedSec} s (${result.commands} commands${resumed})`
    }
    case 'gone':
      return `${head}: taken back by the origin after ${elapsedSec} s`
    case 'error':
      return `${head}: error after ${elapsedSec} s: ${result.message}`
  }
}

// A job, or null after a long poll that found none.
async function claim(identity: Identity): Promise<RemoteJob | null> {
  try {
    const answer = await call(identity.server, 'POST', `${runnerApiPrefix}/claim`, { token: identity.runnerToken, signal: stop.signal })
    return answer.status === 200 ? ((await answer.json()) as ClaimAnswer).job : null
  } catch (error) {
    if (error instanceof OriginRefused && error.status === 401)
      fail('the origin refused this runner (revoked?); remove runner.json to register again')
    if (!stop.signal.aborted) console.warn(`runner: cannot claim a job: ${(error as Error).message}`)
    await Bun.sleep(5000)
    return null
  }
}

// SIGTERM: finish nothing; the origin's lease runs out and another claimant redoes the job.
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => stop.abort())
stop.signal.addEventListener('abort', () => setTimeout(() => process.exit(0), 500))

if (!Bun.which(flags.ffmpeg)) fail(`${flags.ffmpeg} not found: install ffmpeg, or say where it is with --ffmpeg PATH`)
const identity = await identify()
// A job folder left by a runner that was killed is of no use: its job went elsewhere.
await rm(join(dir, 'jobs'), { recursive: true, force: true })
await forgetOldSources(join(dir, 'sources'))
console.log(`runner ${flags.name} (#${identity.runnerId}) ready for ${identity.server}, ffmpeg ${flags.ffmpeg}`)
while (!stop.signal.aborted) {
  const job = await claim(identity)
  if (!job) continue
  const startedMs = Date.now()
  const result = await runRemoteJob({ server: identity.server, dir, ffmpegPath: flags.ffmpeg, job, stop: stop.signal })
  console.log(describe(job, result, ((Date.now() - startedMs) / 1000).toFixed(1)))
}
