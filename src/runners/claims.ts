// A runner's claim: the same leased queue local workers take jobs from (claimNextJob, owner
// `runner:<id>:<random>`). The origin then runs the attempt itself (transcodeMedia) with the
// remote engine, answers the runner once the source is probed and planned, and records the
// outcome exactly as a local worker does (transcoding/outcome.ts).
import { stat } from 'node:fs/promises'
import { relative } from 'node:path'
import type { Config } from '../config'
import { eq } from 'drizzle-orm'
import type { Db } from '../db/client'
import { runners } from '../db/schema'
import { mediaFolder } from '../hls/layout'
import { transcodeMedia } from '../transcoding'
import type { EncoderSettings } from '../transcoding/args'
import { encoderSettingsFromEnv } from '../transcoding/encoder'
import { chooseEngine } from '../transcoding/engine'
import { type ClaimedJob, claimNextJob, type JobTimings, jobTimingsFromEnv, keepLeaseAlive, onJobQueued } from '../transcoding/jobs'
import { describeOutcome, recordOutcome } from '../transcoding/outcome'
import type { ClaimAnswer } from './protocol'
import { planForRunner, remoteEngine } from './remote-engine'
import { longPollMs, uploadBudgetOf } from './rules'
import { type PreparedSource, type RunnerSession, RunnerSessions } from './sessions'
import { runnerLeasePrefix } from './tokens'

export type RunnerOrigin = {
  sessions: RunnerSessions
  // A job for `runnerId`, prepared, or null after the long-poll wait (or when `signal` aborts).
  claim: (runnerId: number, signal: AbortSignal) => Promise<ClaimAnswer | null>
  // Server shutdown: every running job stops (`shutdown`: back to the queue, not counted).
  stop: () => Promise<void>
}

type OriginDeps = { db: Db; config: Config; timings?: JobTimings; encoder?: EncoderSettings }

// The source's validator for Range resumes: it changes whenever the file does.
export const sourceEtag = (sizeBytes: number, mtimeMs: number) => `"${sizeBytes.toString(36)}-${Math.floor(mtimeMs).toString(36)}"`

async function answerOf(session: RunnerSession, token: string, prepared: PreparedSource): Promise<ClaimAnswer> {
  const { job, folder, timings } = session
  const source = await stat(prepared.sourcePath)
  session.uploadLimitBytes = uploadBudgetOf(source.size)
  return {
    job: {
      id: job.id,
      mediaId: job.mediaId,
      attempt: job.attempts,
      token,
      leaseMs: timings.leaseMs,
      heartbeatMs: timings.heartbeatMs,
      source: { path: relative(folder, prepared.sourcePath), sizeBytes: source.size, etag: sourceEtag(source.size, source.mtimeMs) },
      probe: prepared.probe,
      plan: planForRunner(folder, prepared.plan),
      uploadLimitBytes: session.uploadLimitBytes,
    },
  }
}

export function runnerOrigin(deps: OriginDeps): RunnerOrigin {
  const timings = deps.timings ?? jobTimingsFromEnv()
  const encoder = deps.encoder ?? encoderSettingsFromEnv()
  const sessions = new RunnerSessions()
  const running = new Set<Promise<void>>()
  const stopping = new AbortController()

  // The attempt runs until it ends, whatever the claim request does meanwhile.
  const runAttempt = (session: RunnerSession) => {
    const { job } = session
    const startedMs = Date.now()
    const engine = remoteEngine(chooseEngine(deps.config).engine, session)
    const { db, config } = deps
    const run = transcodeMedia({ db, config, job, signal: session.signal, fence: session.fence(db), encoder, engine })
      .then(async outcome => {
        // Nothing the runner sends counts any more, while the outcome is recorded.
        session.end()
        await recordOutcome(deps.db, job, outcome)
        console.log(`runner ${session.runnerId}: ${describeOutcome(job, outcome, ((Date.now() - startedMs) / 1000).toFixed(1))}`)
      })
      .catch(error => console.error(`job ${job.id}: ${(error as Error).message}`))
      .finally(() => {
        sessions.close(session)
        running.delete(run)
      })
    running.add(run)
    return run
  }

  // Answers once prepared; null when the attempt ended first (a file refused while probing).
  const start = async (runnerId: number, job: ClaimedJob): Promise<ClaimAnswer | null> => {
    const folder = mediaFolder(deps.config.mediaDataPath, job.mediaId)
    const { session, token } = sessions.open(job, runnerId, folder, timings)
    // Until the runner has its answer, the origin keeps the lease itself.
    const lease = keepLeaseAlive(deps.db, job, timings)
    lease.signal.addEventListener('abort', () => session.abort(String(lease.signal.reason)))
    try {
      const run = runAttempt(session)
      const prepared = await Promise.race([session.prepared, run.then(() => null)])
      if (!prepared) return null
      const answer = await answerOf(session, token, prepared)
      session.startWatchdog()
      return answer
    } catch (error) {
      session.abort('lost')
      throw error
    } finally {
      lease.stop()
    }
  }

  const claim = async (runnerId: number, signal: AbortSignal): Promise<ClaimAnswer | null> => {
    const deadline = Date.now() + longPollMs
    const stop = AbortSignal.any([signal, stopping.signal])
    while (!stop.aborted && Date.now() < deadline) {
      const owner = `${runnerLeasePrefix(runnerId)}${crypto.randomUUID().slice(0, 8)}`
      const job = await claimNextJob(deps.db, { owner, leaseMs: timings.leaseMs })
      if (job) {
        const answer = await start(runnerId, job)
        if (answer) return answer
        continue
      }
      await waitForWork(Math.min(timings.pollMs, deadline - Date.now()), stop)
    }
    return null
  }

  return {
    sessions,
    claim,
    async stop() {
      stopping.abort()
      sessions.abortAll('shutdown')
      await Promise.all([...running])
    },
  }
}

// Until a job is queued here, `ms` pass, or `signal` aborts.
function waitForWork(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    const done = () => {
      clearTimeout(timer)
      stopListening()
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, Math.max(0, ms))
    const stopListening = onJobQueued(done)
    signal.addEventListener('abort', done, { once: true })
  })
}

// A revoked runner's calls are refused at once: its job goes back to the queue.
export async function isRunnerRevoked(db: Db, runnerId: number): Promise<boolean> {
  const [row] = await db.select({ revokedAt: runners.revokedAt }).from(runners).where(eq(runners.id, runnerId))
  return !row || row.revokedAt !== null
}
