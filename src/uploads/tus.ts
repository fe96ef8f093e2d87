// uploads/: tus, raw PUT and the no-JavaScript form, kept in `.uploads/` until they become `<mediaId>/source.<ext>`.
// Resumable uploads: tus 1.0 (core, creation, creation-with-upload, termination) at
// /api/v1/uploads, served by @tus/server over a file store in `<MediaDataPath>/.uploads/`.
// MoviePoint adds what tus leaves to the application: who may upload where, the size
// and disk limits, the media row behind each upload, and the move into the media
// folder once the last byte is in.
import { open, readdir, rm } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import { join } from 'node:path'
import { FileStore } from '@tus/file-store'
import { ERRORS, Metadata, Server, TUS_RESUMABLE, type Upload } from '@tus/server'
import type { User } from '../auth/users'
import type { AppDeps } from '../deps'
import { AppError, type ErrorCode, badRequest, conflict, errorResponse, notFound, statusOf } from '../http/errors'
import { canModify } from '../http/rights'
import { type MediaRow, createUploadingMedia, deleteMedia, findMedia, parseTarget, resolveUploadTarget } from '../media/service'
import type { BodyPace } from './body-pace'
import { completeUpload } from './complete'
import { writeChunks } from './file-writer'
import { displayFilename } from './filename'
import { assertAllowedSize, assertRoomOnDisk, parseByteCount, uploadLimitsOf } from './limits'
import { mediaIdOfTusUpload, newTusUploadId, uploadsFolder } from './storage'
import { UploadLocks } from './upload-locks'

export const tusPath = '/api/v1/uploads'
// Lets the browser follow the processing of what it uploaded (GET /api/v1/media/:id/events).
export const mediaIdHeader = 'Media-Id'

type TusDeps = Pick<AppDeps, 'config' | 'db' | 'store'>

// tus answers with the `status_code` and `body` of what its hooks and store throw.
function asTusError(error: unknown) {
  return error instanceof AppError ? { status_code: error.status, body: error.message } : error
}

// One process holds the locks: two PATCHes of one upload never write at once. The newer
// asks the older to stop (tus's `cancel`: the older one's body read ends after
// `lockDrainTimeout`, what it wrote is kept and answered), then gets 409 if the offset moved.
const lockWaitMs = 10_000
const lockDrainMs = 1000

// Test fault-injection point, read once at start-up: MOVIEPOINT_CRASH_AT=upload-complete
// kills the server (SIGKILL) the moment an upload's last byte is durable, before the upload
// is finished: what a power cut at that instant leaves behind. Never set it in production.
const crashesOnComplete = process.env.MOVIEPOINT_CRASH_AT === 'upload-complete'

// tus's file store, made durable: every body is written at its offset by writeChunks
// (positioned writes, backpressure, the client's pace, 507 when the disk fills), then
// fsync'ed and its size on disk checked, so the offset tus reports is what is on disk for
// good: a client resuming after a power cut never skips bytes that were only in the page cache.
class DurableFileStore extends FileStore {
  constructor(
    directory: string,
    private readonly pace: BodyPace,
  ) {
    super({ directory })
    // Uploads must announce their length (limits are checked up front) and never expire
    // on their own: a 10 GB upload may be resumed days later.
    this.extensions = ['creation', 'creation-with-upload', 'termination']
  }

  private pathOf(id: string): string {
    if (mediaIdOfTusUpload(id) === null) throw ERRORS.FILE_NOT_FOUND
    return join(this.directory, id)
  }

  // tus has checked under the lock that the file holds exactly `offset` bytes, and its own
  // limiter ends the body at Upload-Length.
  override async write(readable: Readable, id: string, offset: number): Promise<number> {
    const handle = await open(this.pathOf(id), 'r+')
    try {
      return offset + (await writeChunks(handle, readable, { position: offset, limitBytes: Number.MAX_SAFE_INTEGER, pace: this.pace }))
    } catch (error) {
      throw asTusError(error)
    } finally {
      await handle.close()
    }
  }

  // The offset is the size of the file once fsync'ed: what a crash would leave.
  override async getUpload(id: string): Promise<Upload> {
    const handle = await open(this.pathOf(id), 'r').catch(() => null)
    if (handle) {
      await handle.sync().finally(() => handle.close())
    }
    return super.getUpload(id)
  }
}

// What tus itself answers (its own refusals, and those of our hooks and store, which reach
// it as a status and a text): the code of each status, from the registry. tus decides the
// status, so the code is the one the registry gives that status among these.
const tusAnswerCodes = [
  'invalid_upload_request',
  'upload_not_found',
  'upload_too_slow',
  'upload_offset_mismatch',
  'upload_gone',
  'tus_version_unsupported',
  'payload_too_large',
  'unsupported_media_type',
  'upload_locked',
  'internal_error',
  'not_implemented',
  'insufficient_storage',
] as const satisfies readonly ErrorCode[]

const codeOfTusStatus = new Map<number, ErrorCode>(tusAnswerCodes.map(code => [statusOf(code), code]))
// Two of them with one status would make the answer's code a guess: refuse to start.
if (codeOfTusStatus.size !== tusAnswerCodes.length) throw new Error('tus.ts: two tus answer codes share a status in http/errors.ts')
// tus answers a PATCH without Upload-Offset or with the wrong Content-Type with 403: the same
// unreadable request as its 400s, under another status.
codeOfTusStatus.set(403, 'invalid_upload_request')

// The refusals of the tus endpoint, for its OpenAPI answers and the upload widget's messages.
// POST /api/v1/uploads (with the queue check of its route):
export const tusCreationErrorCodes = [
  'too_many_queued_videos',
  'tus_version_unsupported',
  'upload_length_required',
  'invalid_length',
  'empty_upload',
  'payload_too_large',
  'invalid_upload_metadata',
  'invalid_target',
  'invalid_upload_request',
  'forbidden',
  'title_not_found',
  'episode_not_found',
  'title_not_movie',
  'insufficient_storage',
] as const satisfies readonly ErrorCode[]
// HEAD, PATCH and DELETE of an upload (tus's own answers included):
export const tusResumeErrorCodes = [
  'tus_version_unsupported',
  'forbidden',
  'upload_finished',
  'invalid_length',
  ...tusAnswerCodes,
] as const satisfies readonly ErrorCode[]

// tus answers errors as plain text; the API promises `{"error": {code, message}}`.
async function withJsonError(response: Response): Promise<Response> {
  if (response.status < 400) return response
  const message = (await response.text()).trim() || 'The upload request failed'
  const headers: Record<string, string> = {}
  response.headers.forEach((value, name) => {
    if (name !== 'content-length' && name !== 'content-type') headers[name] = value
  })
  return errorResponse(codeOfTusStatus.get(response.status) ?? 'internal_error', message, headers, response.status)
}

function assertTusVersion(headers: Headers) {
  if (headers.get('tus-resumable') !== TUS_RESUMABLE)
    throw new AppError('tus_version_unsupported', `Send Tus-Resumable: ${TUS_RESUMABLE}`, {
      'Tus-Version': TUS_RESUMABLE,
    })
}

function readUploadLength(headers: Headers, maxUploadBytes: number): number {
  const text = headers.get('upload-length')
  if (text === null) throw badRequest('upload_length_required', 'Send Upload-Length: uploads of unknown length are not accepted')
  const sizeBytes = parseByteCount('Upload-Length', text)
  if (sizeBytes === 0) throw badRequest('empty_upload', 'The file is empty')
  assertAllowedSize(sizeBytes, maxUploadBytes)
  return sizeBytes
}

function readUploadMetadata(headers: Headers) {
  let metadata: Record<string, string | null>
  try {
    metadata = Metadata.parse(headers.get('upload-metadata') ?? '')
  } catch {
    throw badRequest('invalid_upload_metadata', 'Upload-Metadata must carry `target` (and `filename`), base64-encoded')
  }
  const target = parseTarget(metadata.target)
  if (!target) throw badRequest('invalid_target', 'Upload-Metadata "target" must be title:<id> or episode:<id>')
  return { target, filename: displayFilename(metadata.filename) }
}

function finishedUploadAnswer(method: string, row: MediaRow): Response {
  if (method !== 'HEAD') throw conflict('upload_finished', `This upload is complete; manage the video at /api/v1/media/${row.id}`)
  // The answer to the last PATCH may have been lost: tell the client it is all there.
  const size = String(row.sizeBytes ?? 0)
  return new Response(null, {
    status: 200,
    headers: {
      'Tus-Resumable': TUS_RESUMABLE,
      'Upload-Offset': size,
      'Upload-Length': size,
      'Cache-Control': 'no-store',
      [mediaIdHeader]: String(row.id),
    },
  })
}

export type TusUploads = ReturnType<typeof createTusUploads>

export function createTusUploads(deps: TusDeps) {
  const { store } = deps
  const directory = uploadsFolder(deps.config.mediaDataPath)
  const datastore = new DurableFileStore(directory, uploadLimitsOf(deps.config).pace)
  // The media row is created before tus creates the upload; its id names the upload.
  const mediaIdOfRequest = new WeakMap<Request, number>()

  // A complete upload into its media folder and the queue. A finish already under way for
  // the same upload (the start-up scan, a HEAD, the last PATCH) is joined, not repeated;
  // across processes completeUpload itself changes nothing the second time.
  const finishing = new Map<string, Promise<MediaRow>>()

  function finish(upload: Upload): Promise<MediaRow> {
    const running = finishing.get(upload.id)
    if (running) return running
    const started = completeUpload(store, {
      mediaId: mediaIdOfTusUpload(upload.id) as number,
      path: join(directory, upload.id),
      filename: displayFilename(upload.metadata?.filename),
      sizeBytes: upload.size ?? upload.offset,
    })
      .then(async row => {
        await rm(join(directory, `${upload.id}.json`), { force: true })
        return row
      })
      .finally(() => finishing.delete(upload.id))
    finishing.set(upload.id, started)
    return started
  }

  // The upload's durable size equals its length, but it was never finished (the server
  // died in between, or the last answer got lost): finish it now. Null when not complete.
  async function finishIfComplete(uploadId: string): Promise<MediaRow | null> {
    const running = finishing.get(uploadId)
    if (running) return running
    const upload = await datastore.getUpload(uploadId).catch(() => null)
    if (!upload || upload.size === undefined || upload.offset !== upload.size) return null
    return finish(upload)
  }

  const server = new Server({
    path: tusPath,
    datastore,
    maxSize: deps.config.maxUploadBytes,
    locker: new UploadLocks(lockWaitMs),
    lockDrainTimeout: lockDrainMs,
    onResponseError: (_request, error) =>
      error === ERRORS.ERR_LOCK_TIMEOUT
        ? { status_code: 423, body: 'Another request is writing this upload; try again shortly' }
        : undefined,
    // Same-site only: no CORS headers for other origins.
    allowedOrigins: () => false,
    namingFunction: request => {
      const mediaId = mediaIdOfRequest.get(request as unknown as Request)
      if (mediaId === undefined) throw new Error('tus upload created without its media row')
      return newTusUploadId(mediaId)
    },
    generateUrl: (_request, { proto, host, path, id }) => `${deps.config.publicUrl ?? `${proto}://${host}`}${path}/${id}`,
    onUploadFinish: async (_request, upload) => {
      if (crashesOnComplete) process.kill(process.pid, 'SIGKILL')
      const row = await finish(upload).catch(error => Promise.reject(asTusError(error)))
      return { headers: { [mediaIdHeader]: String(row.id) } }
    },
  })

  async function create(request: Request, user: User): Promise<Response> {
    assertTusVersion(request.headers)
    const sizeBytes = readUploadLength(request.headers, deps.config.maxUploadBytes)
    const { target, filename } = readUploadMetadata(request.headers)
    const resolved = await resolveUploadTarget(deps.db, user, target)
    await assertRoomOnDisk(deps.config.mediaDataPath, sizeBytes)
    const row = await createUploadingMedia(deps.db, { target: resolved, ownerId: user.id, originalFilename: filename })
    mediaIdOfRequest.set(request, row.id)
    const response = await server.handleWeb(request)
    if (response.status !== 201) {
      await deleteMedia(store, row.id)
      return withJsonError(response)
    }
    response.headers.set(mediaIdHeader, String(row.id))
    return response
  }

  // After tus answered a HEAD or PATCH: an upload it found complete but that is still
  // `uploading` (tus calls onUploadFinish only for the PATCH that wrote the last byte).
  async function finishFoundComplete(request: Request, response: Response, uploadId: string): Promise<MediaRow | null> {
    const isCompleteHead =
      request.method === 'HEAD' &&
      response.status === 200 &&
      response.headers.get('upload-offset') === response.headers.get('upload-length')
    const isRefusedPatch = request.method === 'PATCH' && response.status === 409
    return isCompleteHead || isRefusedPatch ? finishIfComplete(uploadId) : null
  }

  // HEAD, PATCH and DELETE of one upload: only its uploader (or an admin).
  async function resume(request: Request, user: User, uploadId: string): Promise<Response> {
    assertTusVersion(request.headers)
    const mediaId = mediaIdOfTusUpload(uploadId)
    const row = mediaId === null ? undefined : await findMedia(deps.db, mediaId)
    if (!row) throw notFound('upload_not_found', 'There is no such upload')
    if (!canModify(user, row.ownerId)) throw new AppError('forbidden', 'Only the uploader or an admin may do this')
    if (row.status !== 'uploading') return finishedUploadAnswer(request.method, row)
    if (request.method === 'PATCH') {
      const length = request.headers.get('content-length')
      await assertRoomOnDisk(deps.config.mediaDataPath, length === null ? 1 : parseByteCount('Content-Length', length))
    }
    const response = await server.handleWeb(request)
    if (request.method === 'DELETE' && response.status === 204) await deleteMedia(store, row.id)
    const finished = await finishFoundComplete(request, response, uploadId)
    if (finished) return finishedUploadAnswer(request.method, finished)
    // The upload may have been finished between our look at the row and tus's.
    if (response.status === 404 || response.status === 410) {
      await finishing.get(uploadId)?.catch(() => {})
      const now = await findMedia(deps.db, row.id)
      if (now && now.status !== 'uploading') return finishedUploadAnswer(request.method, now)
    }
    return withJsonError(response)
  }

  // At start-up: uploads whose last byte was stored before the server stopped, and which
  // were never finished. Returns their media ids. The info file of an upload finished just
  // before a crash goes too (uploads of deleted media are the hourly sweep's).
  async function finishCompleteUploads(): Promise<number[]> {
    const names = await readdir(directory).catch(() => [] as string[])
    const finished: number[] = []
    for (const name of names) {
      const mediaId = mediaIdOfTusUpload(name.replace(/\.json$/, ''))
      const row = mediaId === null ? undefined : await findMedia(deps.db, mediaId)
      if (!row) continue
      if (row.status !== 'uploading') await rm(join(directory, name), { force: true })
      else if (!name.endsWith('.json') && (await finishIfComplete(name))) finished.push(row.id)
    }
    return finished
  }

  // OPTIONS: what this server supports (Tus-Version, Tus-Extension, Tus-Max-Size).
  function describe(request: Request): Promise<Response> {
    return server.handleWeb(request)
  }

  return { create, resume, describe, finishCompleteUploads }
}
