import { and, eq, isNotNull, lt, or } from 'drizzle-orm'
import type { Db } from '../db/client'
import { media } from '../db/schema'
import { removeMediaFolders } from '../hls/layout'

// A new video of a title or episode replaces the older ones once it is ready: until then
// the old one stays watchable. (Rows first: a worker still busy with an old one sees its
// job vanish and stops.) Not media/service.ts's deleteMedia: the worker stays clear of the
// web server's modules.
export async function retireOlderMedia(db: Db, mediaDataPath: string, mediaId: number): Promise<number[]> {
  const [row] = await db.select({ titleId: media.titleId, episodeId: media.episodeId }).from(media).where(eq(media.id, mediaId))
  if (!row) return []
  const sameTarget = or(
    row.titleId !== null ? and(isNotNull(media.titleId), eq(media.titleId, row.titleId)) : undefined,
    row.episodeId !== null ? and(isNotNull(media.episodeId), eq(media.episodeId, row.episodeId)) : undefined,
  )
  if (!sameTarget) return []
  const older = await db
    .delete(media)
    .where(and(sameTarget, lt(media.id, mediaId)))
    .returning({ id: media.id })
  const ids = older.map(o => o.id)
  await removeMediaFolders(mediaDataPath, ids)
  return ids
}
