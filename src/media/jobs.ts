// Transcoding jobs in libSQL: the server enqueues, workers (workers/transcode.ts, on this
// machine or another sharing the database and MediaDataPath) claim them with a lease.
import { eq, sql } from 'drizzle-orm'
import type { Db } from '../db/client'
import { jobs, media } from '../db/schema'

// A finished upload becomes `queued` together with its job, in one transaction, so a
// crash between the two can never leave a media that no worker will ever pick up.
export async function enqueueTranscode(db: Db, mediaId: number, sizeBytes: number): Promise<void> {
  await db.batch([
    db
      .update(media)
      .set({ status: 'queued', progress: 0, error: null, sizeBytes, updatedAt: sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))` })
      .where(eq(media.id, mediaId)),
    db.insert(jobs).values({ mediaId }),
  ])
}
