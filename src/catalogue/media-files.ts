// What deleting a title, season or episode leaves on disk once its media rows are gone (in the
// same batch as the row itself): each media's HLS folder and any upload still waiting for it.
import type { Store } from '../deps'
import { removeMediaFolders } from '../hls/layout'
import { removePartialUploads } from '../uploads/storage'

export async function removeFilesOfMedia(store: Store, removed: { id: number }[]): Promise<void> {
  const ids = removed.map(video => video.id)
  await removeMediaFolders(store.mediaDataPath, ids)
  await Promise.all(ids.map(mediaId => removePartialUploads(store.mediaDataPath, mediaId)))
}
