// Retrying a failed video (owner or admin): the same upload goes back to the queue with a
// fresh job, as long as its source file is still kept (FailedSourceDays).
import type { User } from '../auth/users'
import type { Store } from '../deps'
import { type ErrorCode, conflict } from '../http/errors'
import { requeueFailedMedia } from '../transcoding/jobs'
import { assertCanModifyMedia, getMedia, type MediaRow } from './service'
import { hasSourceFile } from './source'

// Why a video cannot go back to the queue (409): it has not failed, its file is gone, or a
// worker is still stopping the run an admin cancelled.
export const retryRefusalCodes = ['media_not_failed', 'source_gone', 'worker_stopping'] as const satisfies readonly ErrorCode[]

const notFailed = (id: number) => conflict('media_not_failed', `Media ${id} has not failed: only a failed video can be retried`)

export async function retryMedia(store: Store, user: User, mediaId: number): Promise<MediaRow> {
  const row = await getMedia(store.db, mediaId)
  await assertCanModifyMedia(store.db, user, row)
  if (row.status !== 'failed') throw notFailed(mediaId)
  if (!(await hasSourceFile(store.mediaDataPath, mediaId)))
    throw conflict('source_gone', `The uploaded file of media ${mediaId} was removed after it failed; upload it again`)
  const outcome = await requeueFailedMedia(store.db, mediaId)
  if (outcome === 'not_failed') throw notFailed(mediaId)
  if (outcome === 'worker_stopping')
    throw conflict('worker_stopping', `A worker is still stopping its cancelled run of media ${mediaId}; try again in a few seconds`)
  return getMedia(store.db, mediaId)
}
