// Resumable uploads: tus 1.0 (core, creation, creation-with-upload, termination) at
// /api/v1/uploads, served by @tus/server over a file store in `<MediaDataPath>/.uploads/`.
// MoviePoint adds what tus leaves to the application: who may upload where, the size
// and disk limits, the media row behind each upload, and the move into the media
// folder once the last byte is in.
import { AsyncLocalStorage } from 'node:async_hooks'
import { open, rm } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import { join } from 'node:path'
import { FileStore } from '@tus/file-store'
import { ERRORS, Metadata, Server, TUS_RESUMABLE, type Upload } from '@tus/server'
import type { User } from '../../auth/users'
import type { Config } from '../../config'
import type { Db } from '../../db/client'
import { AppError, badRequest, conflict, errorResponse, notFound } from '../../http/errors'
import { canModify } from '../../http/rights'
import {
  type MediaRow,
  completeUpload,
  createUploadingMedia,
  deleteMedia,
  findMedia,
  parseTarget,
  resolveUploadTarget,
} from '../service'
import { writeChunks, writeRequestBody } from './file-writer'
import { displayFilename } from './filename'
import { assertAllowedSize, assertRoomOnDisk, parseByteCount } from './limits'
import { mediaIdOfTusUpload, newTusUploadId, uploadsFolder } from './storage'
import { UploadLocks } from './upload-locks'

export const tusPath = '/api/v1/uploads'
// Lets the browser follow the processing of what it uploaded (GET /api/v1/media/:id/events).
export const mediaIdHeader = 'Media-Id'

type TusDeps = { config: Config; db: Db }

// tus answers with the `status_code` and `body` of what its hooks and store throw.
function asTusError(error: unknown) {
  return error instanceof AppError ? { status_code: error.status, body: error.message } : error
}

// PATCH bodies of declared length skip tus's Node streams. @tus/server hands its store the
// body as Readable.fromWeb → PassThrough → limiter; in Bun that path reads ~30% slower than
// Bun writing the body to the file itself, and its chunks leave tens of MB of garbage per
// 64 MiB PATCH. So tus gets the request without its body (it still checks the headers,
// the offset and the length, takes the lock and answers) and the store, finding the real
// request in this async context, has Bun append it to the file.
//
// Bun's own write cannot be stopped from JavaScript. When a newer PATCH of the same upload
// asks for the lock (tus lets the newer request win: the client has given up on the older
// connection), the older connection is given a one-second timeout, which Bun enforces on
// its next round of socket timers (every 4 s). Its write then rejects, with what arrived
// kept in the file, and the newer PATCH goes on: 409 if the offset moved meanwhile.
type NativeBody = { request: Request; closeSoon: () => void }
const nativeBodies = new AsyncLocalStorage<NativeBody>()

// Long enough for Bun to close the older connection (its socket timers run every 4 s).
const lockWaitMs = 10_000
const closingTimeoutSeconds = 1

const uploadLocks = () => new UploadLocks(lockWaitMs, () => nativeBodies.getStore()?.closeSoon ?? null)

function withoutBody(request: Request): Request {
  return new Request(request.url, { method: request.method, headers: request.headers })
}

// What can close a request's connection: Elysia's `server` (Bun's), null only in tests
// that call the handler directly.
export type Connections = { timeout(request: Request, seconds: number): void } | null

// tus's file store, made durable: the offset it reports is what has been fsync'ed, so a
// client resuming after a power cut never skips bytes that were only in the page cache.
// A PATCH body is appended by Bun (above); other bodies (creation-with-upload, a chunked
// PATCH) go through writeChunks (batched writev, backpressure, 507 when the disk fills).
class DurableFileStore extends FileStore {
  constructor(directory: string) {
    super({ directory })
    // Uploads must announce their length (limits are checked up front) and never expire
    // on their own: a 10 GB upload may be resumed days later.
    this.extensions = ['creation', 'creation-with-upload', 'termination']
  }

  private pathOf(id: string): string {
    if (mediaIdOfTusUpload(id) === null) throw ERRORS.FILE_NOT_FOUND
    return join(this.directory, id)
  }

  override async write(readable: Readable, id: string, offset: number): Promise<number> {
    const path = this.pathOf(id)
    const body = nativeBodies.getStore()
    try {
      // tus has checked under the lock that the file holds exactly `offset` bytes; its
      // stream is empty then (made from the request without its body).
      if (body) return offset + (await writeRequestBody(body.request, path, 'append'))
      return offset + (await this.writeStream(readable, path, offset))
    } catch (error) {
      throw asTusError(error)
    }
  }

  private async writeStream(readable: Readable, path: string, offset: number): Promise<number> {
    const handle = await open(path, 'r+')
    try {
      return await writeChunks(handle, readable, { position: offset, limitBytes: Number.MAX_SAFE_INTEGER })
    } finally {
      await handle.close()
    }
  }

  override async getUpload(id: string): Promise<Upload> {
    const handle = await open(this.pathOf(id), 'r').catch(() => null)
    if (handle) {
      await handle.sync().finally(() => handle.close())
    }
    return super.getUpload(id)
  }
}

const errorCodes: Record<number, string> = {
  400: 'invalid_upload_request',
  403: 'invalid_upload_request',
  404: 'upload_not_found',
  409: 'upload_offset_mismatch',
  410: 'upload_gone',
  412: 'tus_version_unsupported',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  423: 'upload_locked',
  501: 'not_implemented',
  507: 'insufficient_storage',
}

// tus answers errors as plain text; the API promises `{"error": {code, message}}`.
async function withJsonError(response: Response): Promise<Response> {
  if (response.status < 400) return response
  const message = (await response.text()).trim() || 'The upload request failed'
  const headers: Record<string, string> = {}
  response.headers.forEach((value, name) => {
    if (name !== 'content-length' && name !== 'content-type') headers[name] = value
  })
  return errorResponse(response.status, errorCodes[response.status] ?? 'internal_error', message, headers)
}

function assertTusVersion(headers: Headers) {
  if (headers.get('tus-resumable') !== TUS_RESUMABLE)
    throw new AppError(412, 'tus_version_unsupported', `Send Tus-Resumable: ${TUS_RESUMABLE}`, {
      'Tus-Version': TUS_RESUMABLE,
    })
}

function readUploadLength(headers: Headers, maxUploadBytes: number): number {
  const text = headers.get('upload-length')
  if (text === null)
    throw badRequest('upload_length_required', 'Send Upload-Length: uploads of unknown length are not accepted')
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
  if (method !== 'HEAD')
    throw conflict('upload_finished', `This upload is complete; manage the video at /api/v1/media/${row.id}`)
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
  const store = { db: deps.db, mediaDataPath: deps.config.mediaDataPath }
  const directory = uploadsFolder(deps.config.mediaDataPath)
  // The media row is created before tus creates the upload; its id names the upload.
  const mediaIdOfRequest = new WeakMap<Request, number>()

  const server = new Server({
    path: tusPath,
    datastore: new DurableFileStore(directory),
    maxSize: deps.config.maxUploadBytes,
    // One process holds the locks: two PATCHes of one upload never write at once (the
    // newer one asks the older to stop, then gets 409 if the offset moved meanwhile).
    locker: uploadLocks(),
    lockDrainTimeout: 1000,
    onResponseError: (_request, error) =>
      error === ERRORS.ERR_LOCK_TIMEOUT ? { status_code: 423, body: 'Another request is writing this upload; try again shortly' } : undefined,
    // Same-site only: no CORS headers for other origins.
    allowedOrigins: () => false,
    namingFunction: (request) => {
      const mediaId = mediaIdOfRequest.get(request as unknown as Request)
      if (mediaId === undefined) throw new Error('tus upload created without its media row')
      return newTusUploadId(mediaId)
    },
    generateUrl: (_request, { proto, host, path, id }) => `${deps.config.publicUrl ?? `${proto}://${host}`}${path}/${id}`,
    onUploadFinish: async (_request, upload) => {
      const mediaId = mediaIdOfTusUpload(upload.id) as number
      try {
        await completeUpload(store, {
          mediaId,
          path: join(directory, upload.id),
          filename: displayFilename(upload.metadata?.filename),
          sizeBytes: upload.size ?? upload.offset,
        })
      } catch (error) {
        throw asTusError(error)
      }
      await rm(join(directory, `${upload.id}.json`), { force: true })
      return { headers: { [mediaIdHeader]: String(mediaId) } }
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

  // HEAD, PATCH and DELETE of one upload: only its uploader (or an admin).
  async function resume(request: Request, user: User, uploadId: string, connections: Connections): Promise<Response> {
    assertTusVersion(request.headers)
    const mediaId = mediaIdOfTusUpload(uploadId)
    const row = mediaId === null ? undefined : await findMedia(deps.db, mediaId)
    if (!row) throw notFound('upload_not_found', 'There is no such upload')
    if (!canModify(user, row.ownerId)) throw new AppError(403, 'forbidden', 'Only the uploader or an admin may do this')
    if (row.status !== 'uploading') return finishedUploadAnswer(request.method, row)
    if (request.method === 'PATCH') {
      const length = request.headers.get('content-length')
      await assertRoomOnDisk(deps.config.mediaDataPath, length === null ? 1 : parseByteCount('Content-Length', length))
    }
    const response = await handleTus(request, connections)
    if (request.method === 'DELETE' && response.status === 204) await deleteMedia(store, row.id)
    // The upload may have completed between our look at the row and tus's.
    if (response.status === 404 || response.status === 410) {
      const now = await findMedia(deps.db, row.id)
      if (now && now.status !== 'uploading') return finishedUploadAnswer(request.method, now)
    }
    return withJsonError(response)
  }

  // A PATCH body of declared length is written by Bun, not read through tus (see NativeBody).
  function handleTus(request: Request, connections: Connections): Promise<Response> {
    const isNativeBody = request.method === 'PATCH' && request.body !== null && request.headers.get('content-length') !== null
    if (!isNativeBody) return server.handleWeb(request)
    const closeSoon = () => connections?.timeout(request, closingTimeoutSeconds)
    return nativeBodies.run({ request, closeSoon }, () => server.handleWeb(withoutBody(request)))
  }

  // OPTIONS: what this server supports (Tus-Version, Tus-Extension, Tus-Max-Size).
  function describe(request: Request): Promise<Response> {
    return server.handleWeb(request)
  }

  return { create, resume, describe }
}
