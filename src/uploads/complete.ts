// Finishing uploads: a complete upload becomes its media's source file and a queued job,
// also after a crash; housekeeping clears what no request will come back for. The media
// rows are media/service.ts's; this side knows where uploads wait (storage.ts).
import { mkdirSync } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { and, eq, notExists } from 'drizzle-orm'
import { jobs, media } from '../db/schema'
import { mediaFolder, removeMediaFolders, sourceFileName } from '../hls/layout'
import { notFound } from '../http/errors'
import { findMedia, getMedia, type MediaRow, type MediaStore } from '../media/service'
import { enqueueTranscode } from '../transcoding/jobs'
import { moveIntoMediaFolder, sweepUploads, uploadsFolder } from './storage'

// A complete upload becomes `<mediaId>/source.<ext>` and a queued transcoding job. Safe
// to repeat, even at the same time: the file is moved by whoever renames it first, and
// only an `uploading` row is queued (enqueueTranscode), so it is finished exactly once.
export async function completeUpload(
  store: MediaStore,
  upload: { mediaId: number; path: string; filename: string | null; sizeBytes: number },
): Promise<MediaRow> {
  await moveIntoMediaFolder({
    mediaDataPath: store.mediaDataPath,
    mediaId: upload.mediaId,
    uploadPath: upload.path,
    filename: upload.filename,
  })
  // Deleted while the last bytes arrived: nothing is left to process.
  if (!(await findMedia(store.db, upload.mediaId))) {
    await removeMediaFolders(store.mediaDataPath, [upload.mediaId])
    throw notFound('media_not_found', `Media ${upload.mediaId} was deleted during the upload`)
  }
  await enqueueTranscode(store.db, upload.mediaId, upload.sizeBytes)
  return getMedia(store.db, upload.mediaId)
}

// The source file a finished upload left in its media folder, if any.
async function findSource(mediaDataPath: string, mediaId: number): Promise<{ sizeBytes: number } | null> {
  const folder = mediaFolder(mediaDataPath, mediaId)
  const name = (await readdir(folder).catch(() => [] as string[])).find(n => n.startsWith(sourceFileName('')))
  return name ? { sizeBytes: (await stat(join(folder, name))).size } : null
}

// A server that died between moving a finished upload into place and queuing its job
// left a media `uploading` with its source on disk and no job: queue it now (once: only
// an `uploading` row is queued).
export async function requeueStrandedUploads(store: MediaStore): Promise<number[]> {
  const stranded = await store.db
    .select({ id: media.id })
    .from(media)
    .where(and(eq(media.status, 'uploading'), notExists(store.db.select().from(jobs).where(eq(jobs.mediaId, media.id)))))
  const requeued: number[] = []
  for (const { id } of stranded) {
    const source = await findSource(store.mediaDataPath, id)
    if (!source) continue
    if (await enqueueTranscode(store.db, id, source.sizeBytes)) requeued.push(id)
  }
  return requeued
}

const sweepEveryMs = 3600_000

// Creates `.uploads/`, finishes uploads a crash stranded (complete in `.uploads/`, or
// moved into their media folder but not queued), and clears out abandoned leftovers now
// and every hour. `finishCompleteUploads` is the tus side (it knows its upload files).
export function startUploadHousekeeping(store: MediaStore, finishCompleteUploads: () => Promise<number[]>) {
  mkdirSync(uploadsFolder(store.mediaDataPath), { recursive: true })
  const finishStranded = async () => {
    await finishCompleteUploads()
    await requeueStrandedUploads(store)
  }
  finishStranded().catch(error => console.error('Finishing stranded uploads failed:', error))
  const sweep = () =>
    sweepUploads({ mediaDataPath: store.mediaDataPath, hasMedia: async id => !!(await findMedia(store.db, id)) }).catch(error =>
      console.error('Upload sweep failed:', error),
    )
  setTimeout(sweep, 10_000).unref()
  setInterval(sweep, sweepEveryMs).unref()
}
