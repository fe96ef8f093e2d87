// A video sent by a plain HTML form (multipart/form-data, the page without JavaScript).
// busboy parses the body as it streams in: the file part goes straight to disk through
// the same path as a raw PUT, so even a 10 GB file never sits in memory.
import { Readable } from 'node:stream'
import busboy from 'busboy'
import type { User } from '../auth/users'
import { csrfFormField, secretsEqual, streamedFormTokenRefused } from '../http/csrf'
import { badRequest, unsupportedMediaType } from '../http/errors'
import type { MediaRow, MediaTarget } from '../media/service'
import { displayFilename } from './filename'
import { assertAllowedSize, parseByteCount } from './limits'
import { type UploadStore, receiveStreamedUpload } from './raw-put'

export const formFileField = 'file'

// The form's few text fields and part headers are far below this.
const multipartOverheadBytes = 64 * 1024

// `csrfToken`: the session's token the form's `_csrf` field must carry, sent before the
// file part; null when the request already proved itself (X-CSRF-Token header).
export type FormUpload = { request: Request; user: User; target: MediaTarget; csrfToken: string | null }

function checkDeclaredSize(request: Request, maxUploadBytes: number) {
  const text = request.headers.get('content-length')
  if (text === null) return
  const sizeBytes = parseByteCount('Content-Length', text)
  assertAllowedSize(Math.max(0, sizeBytes - multipartOverheadBytes), maxUploadBytes)
}

// Resolves once the file is stored and busboy has read the rest of the form. A failed
// file (too large, too slow, disk full) rejects at once: busboy would never finish a body
// whose file stream stopped being read, and the rest of the body is not wanted anyway
// (the answer closes the connection).
export function receiveFormUpload(store: UploadStore, upload: FormUpload): Promise<MediaRow> {
  const contentType = upload.request.headers.get('content-type') ?? ''
  if (!contentType.toLowerCase().startsWith('multipart/form-data'))
    return Promise.reject(unsupportedMediaType('Send the file as multipart/form-data'))
  checkDeclaredSize(upload.request, store.maxUploadBytes)
  if (!upload.request.body) return Promise.reject(badRequest('empty_upload', 'Choose a video file'))
  const input = Readable.fromWeb(upload.request.body as never)
  return new Promise<MediaRow>((resolve, reject) => {
    let received: Promise<MediaRow> | null = null
    let sentToken: string | null = null
    const isTokenValid = () => upload.csrfToken === null || (sentToken !== null && secretsEqual(sentToken, upload.csrfToken))
    const parser = busboy({ headers: { 'content-type': contentType }, limits: { files: 1, fields: 10, fieldSize: 4096 } })
    const fail = (error: unknown) => {
      input.unpipe(parser)
      input.destroy()
      parser.destroy()
      reject(error)
    }
    // Reading stops, the stream is left alone: Bun discards the rest of the body and the
    // connection stays open (cancelling the body resets it before the answer arrives).
    const refuse = (error: unknown) => {
      input.unpipe(parser)
      input.pause()
      parser.destroy()
      reject(error)
    }
    parser.on('field', (field, value) => {
      if (field === csrfFormField) sentToken = value
    })
    parser.on('file', (field, stream, info) => {
      // A part cut short (parser destroyed) errors its stream; unheard, that error would end
      // the process. The writer below sees it through its own reads.
      stream.on('error', () => {})
      if (field !== formFileField || received) return void stream.resume()
      // Checked before the first byte of the file is written: a forged form stores nothing.
      if (!isTokenValid()) return refuse(streamedFormTokenRefused())
      received = receiveStreamedUpload(store, {
        user: upload.user,
        target: upload.target,
        filename: displayFilename(info.filename),
        chunks: stream,
        declaredBytes: null,
      })
      received.catch(fail)
    })
    parser.on('close', () => {
      if (!isTokenValid()) return reject(streamedFormTokenRefused())
      ;(received ?? Promise.reject(badRequest('empty_upload', 'Choose a video file'))).then(resolve, reject)
    })
    parser.on('error', () => fail(badRequest('invalid_body', 'The form data cannot be read')))
    input.on('error', fail).pipe(parser)
  })
}
