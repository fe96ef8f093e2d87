// How much MediaDataPath holds, for the admin's queue page. Adding up every file is
// hundreds of thousands of stat calls on a big library, so no page view waits for it
// longer than `firstWaitMs` (the first of the process, on a small library, gets the figure;
// on a big one it says the size is being measured): a view shows the last measurement with its time, and
// starts a new one in the background when the library has changed since the last began (a
// media row or a job came, went or moved on: an upload, a delete, a finished transcode) or
// it is older than `maxAgeMs` (a source swept, a transcode's growing folder). Measurements
// run one at a time, each at least `restShare` times its own length after the last, so on
// any library they take at most a tenth of the time. The free space is statfs's, at once.
import { readdir, stat, statfs } from 'node:fs/promises'
import { join } from 'node:path'
import { count, max } from 'drizzle-orm'
import { jobs, media } from '../db/schema'
import type { Store } from '../deps'

export const diskUseRules = {
  maxAgeMs: 10 * 60_000,
  restShare: 10,
  firstWaitMs: 1000,
}

// `measured`: null while the first measurement of the process runs.
export type DiskUse = { measured: { mediaBytes: number; measuredAt: string } | null; freeBytes: number; totalBytes: number }

type Measurement = { bytes: number; measuredAt: string; endedAtMs: number; tookMs: number; changes: string }

async function folderBytes(folder: string): Promise<number> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => [])
  let total = 0
  for (const entry of entries) {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) total += await folderBytes(path)
    else if (entry.isFile()) total += (await stat(path).catch(() => ({ size: 0 }))).size
  }
  return total
}

// What differs whenever files came or went: media rows (count, newest) and jobs (count,
// latest change: queued on upload, done or failed after a transcode). Two aggregates over
// rows in the database's pages: no file is touched.
async function libraryChanges(store: Store): Promise<string> {
  const [[rows], [work]] = await Promise.all([
    store.db.select({ n: count(), newest: max(media.id) }).from(media),
    store.db.select({ n: count(), latest: max(jobs.updatedAt) }).from(jobs),
  ])
  return JSON.stringify([rows, work])
}

function diskMeter(store: Store) {
  let last: Measurement | null = null
  let running: Promise<Measurement> | null = null
  const measure = (changes: string) => {
    const startedAtMs = Date.now()
    running = folderBytes(store.mediaDataPath)
      .then(bytes => {
        const endedAtMs = Date.now()
        last = { bytes, measuredAt: new Date(startedAtMs).toISOString(), endedAtMs, tookMs: endedAtMs - startedAtMs, changes }
        return last
      })
      .finally(() => {
        running = null
      })
    return running
  }
  const isStale = (m: Measurement, changes: string) => m.changes !== changes || Date.now() - m.endedAtMs > diskUseRules.maxAgeMs
  const hasRested = (m: Measurement) => Date.now() - m.endedAtMs >= m.tookMs * diskUseRules.restShare
  return async function latest(): Promise<Measurement | null> {
    const changes = await libraryChanges(store)
    if (!last) return firstOf(running ?? measure(changes))
    if (!running && isStale(last, changes) && hasRested(last)) measure(changes).catch(() => {})
    return last
  }
}

// The first measurement if it ends within firstWaitMs, else null (it goes on meanwhile).
function firstOf(measuring: Promise<Measurement>): Promise<Measurement | null> {
  const waited = new Promise<null>(resolve => setTimeout(resolve, diskUseRules.firstWaitMs, null))
  return Promise.race([measuring, waited])
}

// One meter per MediaDataPath, for the life of the process.
const meters = new Map<string, () => Promise<Measurement | null>>()

function meterOf(store: Store) {
  const meter = meters.get(store.mediaDataPath) ?? diskMeter(store)
  meters.set(store.mediaDataPath, meter)
  return meter
}

// The last measurement of MediaDataPath and the room left on its filesystem (statfs:
// blocks free to unprivileged users).
export async function diskUseOf(store: Store): Promise<DiskUse> {
  const [disk, measured] = await Promise.all([statfs(store.mediaDataPath), meterOf(store)()])
  return {
    measured: measured && { mediaBytes: measured.bytes, measuredAt: measured.measuredAt },
    freeBytes: disk.bavail * disk.bsize,
    totalBytes: disk.blocks * disk.bsize,
  }
}
