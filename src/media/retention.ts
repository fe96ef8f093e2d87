// Failed uploads keep their source file for a retry during `FailedSourceDays`; then it goes
// (a failed film can take gigabytes). The server sweeps now and then; after that, a retry
// is refused (409 `source_gone`) and the page says the file is gone.
import { and, eq, lt } from 'drizzle-orm'
import { media } from '../db/schema'
import type { Store } from '../deps'
import { removeSourceFile } from './source'

const dayMs = 24 * 3600 * 1000

// A failed media's `updatedAt` is when it failed: nothing changes a failed row but a retry
// (which makes it queued) or a deletion.
export async function removeExpiredFailedSources(store: Store, failedSourceDays: number): Promise<number[]> {
  const failedBefore = new Date(Date.now() - failedSourceDays * dayMs).toISOString()
  const expired = await store.db
    .select({ id: media.id })
    .from(media)
    .where(and(eq(media.status, 'failed'), lt(media.updatedAt, failedBefore)))
  const removed: number[] = []
  for (const { id } of expired) if (await removeSourceFile(store.mediaDataPath, id)) removed.push(id)
  return removed
}

// Often enough that a file outlives its period by at most a quarter of it (and an hour).
export function sweepIntervalMs(failedSourceDays: number): number {
  return Math.max(250, Math.min(3600_000, (failedSourceDays * dayMs) / 4))
}

export function startFailedSourceSweep(store: Store, failedSourceDays: number): void {
  let isBusy = false
  const sweep = async () => {
    if (isBusy) return
    isBusy = true
    try {
      const removed = await removeExpiredFailedSources(store, failedSourceDays)
      for (const id of removed) console.log(`media ${id}: failed ${failedSourceDays} days ago; its source file is removed`)
    } catch (error) {
      console.error('Failed-source sweep failed:', error)
    } finally {
      isBusy = false
    }
  }
  setInterval(sweep, sweepIntervalMs(failedSourceDays)).unref()
}
