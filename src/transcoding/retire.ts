import { type SQL, and, lt, or, sql } from 'drizzle-orm'
import type { Db } from '../db/client'
import { media } from '../db/schema'

// A new video of a title or episode replaces the older ones once it is ready: until then
// the old one stays watchable. The rows go in the batch that marks the new one ready
// (jobs.ts, completeJob), under the same lease check; a worker still busy with an old one
// sees its job vanish and stops. The caller removes their folders afterwards. Not
// media/service.ts's deleteMedia: the worker stays clear of the web server's modules.
export function deleteOlderMedia(db: Db, mediaId: number, onlyIf: SQL) {
  // NULL never equals anything: a movie's video matches on the title, an episode's on the episode.
  const sameTitle = sql`${media.titleId} = (SELECT m.title_id FROM media m WHERE m.id = ${mediaId})`
  const sameEpisode = sql`${media.episodeId} = (SELECT m.episode_id FROM media m WHERE m.id = ${mediaId})`
  return db
    .delete(media)
    .where(and(lt(media.id, mediaId), or(sameTitle, sameEpisode), onlyIf))
    .returning({ id: media.id })
}
