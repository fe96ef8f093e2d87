// A remote runner's job as the origin keeps it, in memory: the job token's hash, the
// commands handed out and their exits, the files received (SHA-256 each) and their bytes,
// when the runner was last heard. The attempt itself runs here (claims.ts); the session is
// its link to the runner. A session that hears no heartbeat for a lease aborts with `lost`:
// the attempt stops, and the job's lease runs out so the next claimant takes it over.
import { generateSecret, hashSecret } from '../auth/secrets'
import type { TranscodePlan } from '../transcoding/args'
import type { LimitHit } from '../transcoding/bounded-child'
import type { Db } from '../db/client'
import {
  type ClaimedJob,
  type Fence,
  type Instant,
  instantNow,
  type JobTimings,
  type LeaseState,
  leaseFence,
  renewLease,
} from '../transcoding/jobs'
import type { SourceProbe } from '../transcoding/probe'
import type { ProgressBlock } from '../transcoding/progress'
import { type CommandAnswer, type ExitBody, type HeartbeatBody, type RemoteCommand, tokenPrefixes } from './protocol'
import { endedSessionKeepMs } from './rules'

export type SessionCommand = {
  command: RemoteCommand
  onProgress: ((block: ProgressBlock) => void) | undefined
  stderrTail: string
  limitHit: LimitHit | null
  peakRssBytes: number
  isCancelled: boolean
  hasExited: boolean
  // Resolves the command's `exited` (once).
  settle: (code: number | null) => void
}

export type PreparedSource = { probe: SourceProbe; plan: TranscodePlan; sourcePath: string }

export class RunnerSession {
  readonly controller = new AbortController()
  readonly commands: SessionCommand[] = []
  // Relative path → SHA-256 (hex) of what was received there.
  readonly received = new Map<string, string>()
  receivedBytes = 0
  uploadLimitBytes = 0
  // The source's path on the origin, once prepared.
  sourcePath = ''
  isOver = false
  private lastHeardMs = Date.now()
  // Aborted with the session when the job is no longer this runner's (not on a shutdown).
  private leaseLost = new AbortController()
  // When the job's lease was last renewed: by the claim, the runner's heartbeats, the fence.
  private leaseRenewedAt: Instant
  private watchdog: ReturnType<typeof setInterval> | null = null
  private waiters = new Set<() => void>()
  private onPrepared: (source: PreparedSource) => void = () => {}
  // The probe and plan, once the origin has them: what the claim answers.
  readonly prepared = new Promise<PreparedSource>(resolve => {
    this.onPrepared = resolve
  })

  constructor(
    readonly job: ClaimedJob,
    readonly runnerId: number,
    // The origin's media folder of the job.
    readonly folder: string,
    readonly tokenHash: string,
    readonly timings: JobTimings,
  ) {
    this.leaseRenewedAt = job.leasedAt ?? instantNow()
  }

  get signal(): AbortSignal {
    return this.controller.signal
  }

  get attempt(): number {
    return this.job.attempts
  }

  setPrepared(source: PreparedSource) {
    this.sourcePath = source.sourcePath
    this.onPrepared(source)
  }

  // From now on the runner must be heard from every lease.
  startWatchdog() {
    this.heard()
    const everyMs = Math.max(50, Math.min(1000, Math.round(this.timings.leaseMs / 10)))
    this.watchdog = setInterval(() => {
      if (Date.now() - this.lastHeardMs > this.timings.leaseMs) this.abort('lost')
    }, everyMs)
    this.watchdog.unref?.()
  }

  heard() {
    this.lastHeardMs = Date.now()
  }

  // Extends the job's lease, or aborts with the reason it is no longer this runner's.
  async renewLease(db: Db): Promise<LeaseState> {
    const sentAt = instantNow()
    const state = await renewLease(db, this.job, this.timings.leaseMs)
    if (state === 'held') this.leaseRenewedAt = sentAt
    else this.abort(state)
    return state
  }

  // What the origin's attempt awaits before publishing a file (jobs.ts, leaseFence): the
  // origin too may stall past the lease (a VM pause) while the runner's heartbeats fail.
  fence(db: Db): Fence {
    const renew = async () => {
      await this.renewLease(db).catch(error => console.warn(`job ${this.job.id}: lease renewal failed: ${(error as Error).message}`))
    }
    const { leaseMs } = this.timings
    const abort = (reason: string) => this.abort(reason)
    return leaseFence({ leaseMs, signal: this.leaseLost.signal, renewedAt: () => this.leaseRenewedAt, renew, abort })
  }

  abort(reason: string) {
    if (reason !== 'shutdown' && !this.leaseLost.signal.aborted) this.leaseLost.abort(reason)
    if (!this.controller.signal.aborted) this.controller.abort(reason)
    this.settleAll()
  }

  addCommand(
    command: Omit<RemoteCommand, 'n'>,
    onProgress: SessionCommand['onProgress'],
  ): { entry: SessionCommand; exited: Promise<number | null> } {
    let settle: (code: number | null) => void = () => {}
    const exited = new Promise<number | null>(resolve => {
      settle = resolve
    })
    const entry: SessionCommand = {
      command: { n: this.commands.length + 1, ...command },
      onProgress,
      stderrTail: '',
      limitHit: null,
      peakRssBytes: 0,
      isCancelled: false,
      hasExited: false,
      settle: code => {
        entry.settle = () => {}
        entry.hasExited = true
        settle(code)
        this.changed()
      },
    }
    this.commands.push(entry)
    // A command handed out after the attempt stopped never runs.
    if (this.isOver || this.signal.aborted) entry.settle(null)
    this.changed()
    return { entry, exited }
  }

  command(n: number): SessionCommand | undefined {
    return this.commands[n - 1]
  }

  // The next command to run after number `after`, skipping those cancelled before they ran.
  nextCommand(after: number): SessionCommand | undefined {
    return this.commands.find(entry => entry.command.n > after && !entry.isCancelled)
  }

  // What the runner hears when it asks for work after command `after`: the next command,
  // `done` once the attempt is over, or null when nothing came within `waitMs`.
  async waitForCommand(after: number, waitMs: number, signal: AbortSignal): Promise<CommandAnswer | null> {
    const deadline = Date.now() + waitMs
    while (!signal.aborted && Date.now() < deadline) {
      if (this.isOver) return { done: true }
      const next = this.nextCommand(after)
      if (next) return { command: next.command }
      await this.nextChange(deadline - Date.now(), signal)
    }
    return null
  }

  // A heartbeat's news of each running command: its stderr, its progress (the attempt saves it).
  report(commands: HeartbeatBody['commands']) {
    for (const report of commands) {
      const entry = this.command(report.n)
      if (!entry) continue
      entry.stderrTail = report.stderrTail
      if (report.progress) entry.onProgress?.(report.progress)
    }
  }

  cancelledNumbers(): number[] {
    return this.commands.filter(entry => entry.isCancelled).map(entry => entry.command.n)
  }

  exit(n: number, body: ExitBody) {
    const entry = this.command(n)
    if (!entry) return false
    entry.stderrTail = body.stderrTail
    entry.limitHit = body.limitHit
    entry.peakRssBytes = body.peakRssBytes
    entry.settle(body.code)
    return true
  }

  // The attempt is over: the runner hears `done`, and nothing it sends counts any more.
  end() {
    this.isOver = true
    if (this.watchdog) clearInterval(this.watchdog)
    this.settleAll()
    this.changed()
  }

  // Resolves when a command is added or the session ends, or after `timeoutMs`.
  nextChange(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise(resolve => {
      const done = () => {
        clearTimeout(timer)
        this.waiters.delete(done)
        signal?.removeEventListener('abort', done)
        resolve()
      }
      const timer = setTimeout(done, timeoutMs)
      this.waiters.add(done)
      signal?.addEventListener('abort', done, { once: true })
    })
  }

  private changed() {
    for (const waiter of [...this.waiters]) waiter()
  }

  private settleAll() {
    for (const entry of this.commands) entry.settle(null)
  }
}

export type JobTokenCheck = { session: RunnerSession } | { refusal: 'gone' | 'other_job' }

// Every job a runner holds here, by job id, and by its token's hash.
export class RunnerSessions {
  private byTokenHash = new Map<string, RunnerSession>()

  open(job: ClaimedJob, runnerId: number, folder: string, timings: JobTimings): { session: RunnerSession; token: string } {
    const token = tokenPrefixes.job + generateSecret()
    const session = new RunnerSession(job, runnerId, folder, hashSecret(token), timings)
    this.byTokenHash.set(session.tokenHash, session)
    return { session, token }
  }

  // Forgotten a while after its end: until then its runner hears `done` or 410.
  close(session: RunnerSession) {
    session.end()
    setTimeout(() => this.byTokenHash.delete(session.tokenHash), endedSessionKeepMs).unref?.()
  }

  // The session `token` opens, if it is the job `jobId`'s and still running.
  check(token: string, jobId: number): JobTokenCheck {
    const session = this.byTokenHash.get(hashSecret(token))
    if (!session || session.isOver || session.signal.aborted) return { refusal: 'gone' }
    if (session.job.id !== jobId) return { refusal: 'other_job' }
    return { session }
  }

  // The session of `token` even once over (a runner asking for its next command hears `done`).
  find(token: string, jobId: number): RunnerSession | null {
    const session = this.byTokenHash.get(hashSecret(token))
    return session && session.job.id === jobId ? session : null
  }

  abortAll(reason: string) {
    for (const session of this.byTokenHash.values()) if (!session.isOver) session.abort(reason)
  }
}
