// `bun run worker`: one transcoding worker. The server starts `Workers` of these itself;
// more can run on other machines that share the database and MediaDataPath. Each takes one
// job at a time, holds it by lease, and logs one line per job.
//
// Safe to kill at any point (kill -9 included): ffmpeg dies with it, the lease runs out,
// and another worker redoes the job from a clean state. SIGTERM/SIGINT stop it politely:
// the running job goes back to the queue without counting as an attempt.
import { hostname } from 'node:os'
import { loadConfigOrExit } from '../src/config'
import { openDatabase } from '../src/db/client'
import { migrateDatabase } from '../src/db/migrate'
import { type ClaimedJob, claimNextJob, jobTimingsFromEnv, keepLeaseAlive } from '../src/transcoding/jobs'
import { encoderSettingsFromEnv } from '../src/transcoding/encoder'
import { chooseEngine } from '../src/transcoding/engine'
import { wakeMessage } from '../src/transcoding/pool'
import { transcodeMedia } from '../src/transcoding'
import { describeOutcome, recordOutcome } from '../src/transcoding/outcome'

const config = loadConfigOrExit()
const timings = jobTimingsFromEnv()
const encoder = encoderSettingsFromEnv()
const { engine, reason: engineReason } = chooseEngine(config)
const owner = `${hostname()}:${process.pid}:${crypto.randomUUID().slice(0, 8)}`
const shutdown = new AbortController()

await migrateDatabase(config.database)
const { client, db } = openDatabase(config.database)

function stop(reason: string) {
  if (!shutdown.signal.aborted) shutdown.abort(reason)
}
process.on('SIGTERM', () => stop('shutdown'))
process.on('SIGINT', () => stop('shutdown'))

// Started by the server: leave with it, even if it was killed without telling us.
const parentPid = Number(process.env.MOVIEPOINT_WORKER_PARENT_PID)
if (parentPid > 0) setInterval(() => process.ppid !== parentPid && stop('shutdown'), 1000).unref()

async function runJob(job: ClaimedJob) {
  const startedMs = Date.now()
  const lease = keepLeaseAlive(db, job, timings)
  try {
    const signal = AbortSignal.any([lease.signal, shutdown.signal])
    const outcome = await transcodeMedia({ db, config, job, signal, fence: lease.fence, encoder, engine })
    await recordOutcome(db, job, outcome)
    console.log(describeOutcome(job, outcome, ((Date.now() - startedMs) / 1000).toFixed(1)))
  } finally {
    lease.stop()
  }
}

async function nextJob(): Promise<ClaimedJob | null> {
  try {
    return await claimNextJob(db, { owner, leaseMs: timings.leaseMs })
  } catch (error) {
    console.warn(`worker ${owner}: cannot claim a job: ${(error as Error).message}`)
    return null
  }
}

// The server that started this worker says when it queues a job (src/transcoding/pool.ts).
// A message that comes while a claim is under way counts for the wait after it.
let isWoken = false
let wakeUp = () => {}
process.on('message', message => {
  if (message !== wakeMessage) return
  isWoken = true
  wakeUp()
})
const woken = () => (isWoken ? Promise.resolve() : new Promise<void>(resolve => (wakeUp = resolve)))

const engineLine = engine.name === 'wasm' ? `ffmpeg in WebAssembly (${engineReason})` : `x264 preset ${encoder.preset}`
console.log(`worker ${owner} ready (${engineLine})`)
const stopped = new Promise(resolve => shutdown.signal.addEventListener('abort', resolve))
while (!shutdown.signal.aborted) {
  isWoken = false
  const job = await nextJob()
  if (!job) {
    await Promise.race([Bun.sleep(timings.pollMs), stopped, woken()])
    continue
  }
  // A failure to record an outcome (database gone for a moment) leaves the job to its
  // lease: it expires and the job is taken again. The worker itself carries on.
  await runJob(job).catch(error => console.error(`job ${job.id}: ${(error as Error).message}`))
}
client.close()
process.exit(0)
