// One-request uploads for scripts: `PUT /api/v1/titles/:id/video` (or episodes) with the
// file as the body. The body streams to a temporary file in `.uploads/` (never buffered),
// which is renamed into the media folder only once complete. Not resumable: a broken
// request leaves nothing behind.
import { open, rm } from 'node:fs/promises'
import type { User } from '../auth/users'
import { type ErrorCode, badRequest } from '../http/errors'
import { type MediaRow, type MediaStore, type MediaTarget, createUploadingMedia, resolveUploadTarget } from '../media/service'
import { completeUpload } from './complete'
import { bodyChunks, writeChunks } from './file-writer'
import { displayFilename, filenameFromContentDisposition } from './filename'
import { type UploadLimits, assertAllowedSize, assertRoomOnDisk, parseByteCount } from './limits'
import { newRawUploadPath } from './storage'

// What a raw upload can answer besides a bad id, no account or someone else's title: no such
// target or not one that takes a video, a body that is badly sized, empty, cut short or too
// slow, too large, a full queue, a full disk.
export const rawUploadErrorCodes = [
  'title_not_found',
  'episode_not_found',
  'title_not_movie',
  'invalid_length',
  'empty_upload',
  'incomplete_body',
  'upload_interrupted',
  'upload_too_slow',
  'payload_too_large',
  'too_many_queued_videos',
  'insufficient_storage',
] as const satisfies readonly ErrorCode[]

export type RawUpload = {
  request: Request
  user: User
  target: MediaTarget
  // `?filename=`; Content-Disposition wins when both are sent.
  filename?: string
}

// Content-Length when the client sent one; a chunked body has none.
function declaredLength(request: Request, maxUploadBytes: number): number | null {
  const text = request.headers.get('content-length')
  if (text === null) return null
  const sizeBytes = parseByteCount('Content-Length', text)
  assertAllowedSize(sizeBytes, maxUploadBytes)
  return sizeBytes
}

export type UploadStore = MediaStore & UploadLimits

// Into a new file at `path`, every byte at its position, fsync'ed and its size checked.
async function writeBody(chunks: AsyncIterable<Uint8Array>, path: string, store: UploadStore, limitBytes: number): Promise<number> {
  const handle = await open(path, 'wx')
  try {
    return await writeChunks(handle, chunks, { position: 0, limitBytes, pace: store.pace })
  } finally {
    await handle.close()
  }
}

async function receiveBody(chunks: AsyncIterable<Uint8Array>, path: string, store: UploadStore, limitBytes: number): Promise<number> {
  try {
    return await writeBody(chunks, path, store, limitBytes)
  } catch (error) {
    // The client went away: an expected event, not a server failure worth a log line.
    if ((error as Error).name === 'AbortError') throw badRequest('upload_interrupted', 'The connection closed during the upload')
    throw error
  }
}

export type StreamedUpload = {
  user: User
  target: MediaTarget
  filename: string | null
  // The file's bytes: a request body, or the file part of a form.
  chunks: AsyncIterable<Uint8Array>
  // The exact size when the client said it; null when the body is chunked or multipart.
  declaredBytes: number | null
}

// A whole file in one stream (a PUT body, or the file part of a form post), written to a
// temporary name and handed to the media folder only once complete.
export async function receiveStreamedUpload(store: UploadStore, upload: StreamedUpload): Promise<MediaRow> {
  const target = await resolveUploadTarget(store.db, upload.user, upload.target)
  await assertRoomOnDisk(store.mediaDataPath, upload.declaredBytes ?? 1)
  const path = newRawUploadPath(store.mediaDataPath)
  try {
    const sizeBytes = await receiveBody(upload.chunks, path, store, upload.declaredBytes ?? store.maxUploadBytes)
    if (sizeBytes === 0) throw badRequest('empty_upload', 'The body is empty: send the video file')
    if (upload.declaredBytes !== null && sizeBytes !== upload.declaredBytes)
      throw badRequest('incomplete_body', `The body ended after ${sizeBytes} of ${upload.declaredBytes} bytes`)
    const row = await createUploadingMedia(store.db, { target, ownerId: upload.user.id, originalFilename: upload.filename })
    return await completeUpload(store, { mediaId: row.id, path, filename: upload.filename, sizeBytes })
  } finally {
    // Gone already when the upload made it into its media folder.
    await rm(path, { force: true })
  }
}

export async function receiveRawUpload(store: UploadStore, upload: RawUpload): Promise<MediaRow> {
  const declaredBytes = declaredLength(upload.request, store.maxUploadBytes)
  if (declaredBytes === 0) throw badRequest('empty_upload', 'The body is empty: send the video file')
  const filename = displayFilename(filenameFromContentDisposition(upload.request.headers.get('content-disposition')) ?? upload.filename)
  const chunks = upload.request.body ? bodyChunks(upload.request.body) : emptyChunks()
  return receiveStreamedUpload(store, { user: upload.user, target: upload.target, filename, chunks, declaredBytes })
}

async function* emptyChunks(): AsyncGenerator<Uint8Array> {}
