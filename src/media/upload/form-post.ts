// A video sent by a plain HTML form (multipart/form-data, the page without JavaScript).
// busboy parses the body as it streams in: the file part goes straight to disk through
// the same path as a raw PUT, so even a 10 GB file never sits in memory.
import { Readable } from 'node:stream'
import busboy from 'busboy'
import type { User } from '../../auth/users'
import { badRequest, unsupportedMediaType } from '../../http/errors'
import type { MediaRow, MediaStore, MediaTarget } from '../service'
import { displayFilename } from './filename'
import { assertAllowedSize, parseByteCount } from './limits'
import { receiveStreamedUpload } from './raw-put'

export const formFileField = 'file'

// The form's few text fields and part headers are far below this.
const multipartOverheadBytes = 64 * 1024

export type FormUpload = { request: Request; user: User; target: MediaTarget }

function checkDeclaredSize(request: Request, maxUploadBytes: number) {
  const text = request.headers.get('content-length')
  if (text === null) return
  const sizeBytes = parseByteCount('Content-Length', text)
  assertAllowedSize(Math.max(0, sizeBytes - multipartOverheadBytes), maxUploadBytes)
}

export function receiveFormUpload(store: MediaStore & { maxUploadBytes: number }, upload: FormUpload): Promise<MediaRow> {
  const contentType = upload.request.headers.get('content-type') ?? ''
  if (!contentType.toLowerCase().startsWith('multipart/form-data'))
    return Promise.reject(unsupportedMediaType('Send the file as multipart/form-data'))
  checkDeclaredSize(upload.request, store.maxUploadBytes)
  return new Promise<MediaRow>((resolve, reject) => {
    let received: Promise<MediaRow> | null = null
    const parser = busboy({ headers: { 'content-type': contentType }, limits: { files: 1, fields: 10, fieldSize: 4096 } })
    parser.on('file', (field, stream, info) => {
      if (field !== formFileField || received) return void stream.resume()
      received = receiveStreamedUpload(store, {
        user: upload.user,
        target: upload.target,
        filename: displayFilename(info.filename),
        body: { chunks: stream },
        declaredBytes: null,
      })
      // Whatever the outcome, the rest of the body must still be read for busboy to finish.
      received.catch(() => stream.resume())
    })
    parser.on('close', () => (received ?? Promise.reject(badRequest('empty_upload', 'Choose a video file'))).then(resolve, reject))
    parser.on('error', () => reject(badRequest('invalid_body', 'The form data cannot be read')))
    if (!upload.request.body) return reject(badRequest('empty_upload', 'Choose a video file'))
    Readable.fromWeb(upload.request.body as never).on('error', reject).pipe(parser)
  })
}
