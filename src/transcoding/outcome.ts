// What the queue makes of an attempt's outcome, the same for a local worker
// (workers/transcode.ts) and a remote runner's job (runners/claims.ts): a file we cannot
// use fails for good, a failure another attempt may not hit goes back to the queue
// (counted), a stop for a restart goes back uncounted. `ready` was recorded by the attempt
// itself; a lost, cancelled or deleted job is no longer ours to record.
import type { Db } from '../db/client'
import type { TranscodeOutcome } from '.'
import { type ClaimedJob, finishJob, releaseJob } from './jobs'

export async function recordOutcome(db: Db, job: ClaimedJob, outcome: TranscodeOutcome): Promise<void> {
  if (outcome.kind === 'rejected') await finishJob(db, job, { status: 'failed', reason: outcome.reason, stderrTail: outcome.stderrTail })
  else if (outcome.kind === 'failed')
    await releaseJob(db, job, { isAttemptCounted: true, stderrTail: `${outcome.error}\n${outcome.stderrTail ?? ''}`.trim() })
  else if (outcome.kind === 'aborted' && outcome.reason === 'shutdown') await releaseJob(db, job, { isAttemptCounted: false })
}

// One log line per job: how it ended and how long it took.
export function describeOutcome(job: ClaimedJob, outcome: TranscodeOutcome, elapsedSec: string): string {
  const head = `job ${job.id} media ${job.mediaId} attempt ${job.attempts}`
  switch (outcome.kind) {
    case 'ready':
      return `${head}: ready in ${elapsedSec} s (${outcome.rungs} rungs, ${outcome.durationSec} s of video)`
    case 'rejected':
      return `${head}: failed in ${elapsedSec} s: ${outcome.error}`
    case 'failed':
      return `${head}: error after ${elapsedSec} s: ${outcome.error}`
    case 'aborted':
      return `${head}: stopped after ${elapsedSec} s (${outcome.reason})`
  }
}
