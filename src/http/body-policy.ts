// Every request body but an upload's is small: JSON, a form, a subtitle file. It is read
// here whole, before routing and before any handler waits on it, under a size limit and a
// deadline; a body that breaks either is refused (413, 408) without being kept. Upload routes
// stream their body to disk and enforce MaxUploadBytes (and their own pace) themselves.
import { Elysia } from 'elysia'
import { unsupportedMediaType } from './errors'
import { bodyTooLarge, readSmallBody } from './small-body'

const maxJsonBytes = 1024 * 1024
// The largest form: 10,000-character fields (a description, a review) of 3-byte UTF-8
// characters, percent-encoded into 9 bytes each, and the small fields around them.
const maxFormBytes = 128 * 1024
const maxMultipartBytes = 8 * 1024 * 1024

// Bodies that arrive slower than this, past the timeout, are cut (about 0.5 Mbit/s).
const bytesPerExtraSecond = 64 * 1024

const uploadPaths = [
  /^\/api\/v1\/uploads(\/|$)/, // tus
  /^\/api\/v1\/(titles|episodes)\/[^/]+\/video$/, // one-request PUT
  /^\/(titles|episodes)\/[^/]+\/video$/, // the upload form of pages without JavaScript
  /^\/api\/v1\/runners\/jobs\/[^/]+\/files\//, // what a remote runner's ffmpeg wrote (runners/files.ts)
]

// What the API and the pages accept (as the OpenAPI document says), and how much of it.
const maxBytesByType: Record<string, number> = {
  'application/json': maxJsonBytes,
  'application/x-www-form-urlencoded': maxFormBytes,
  'multipart/form-data': maxMultipartBytes,
}

function mediaType(request: Request): string {
  return (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase()
}

function hasBody(request: Request): request is Request & { body: ReadableStream<Uint8Array> } {
  const length = request.headers.get('content-length')
  return request.body !== null && (length === null ? request.headers.has('transfer-encoding') : length !== '0')
}

function maxBytesOf(request: Request): number {
  const maxBytes = maxBytesByType[mediaType(request)]
  if (maxBytes === undefined) throw unsupportedMediaType('Send the body as JSON, a form (urlencoded) or multipart form data')
  const length = request.headers.get('content-length')
  if (length !== null && Number(length) > maxBytes) throw bodyTooLarge(maxBytes)
  return maxBytes
}

// Elysia's parsers read the body through these methods; from now on they answer from the
// bytes read here. The Request itself is kept rather than copied, because Bun knows the
// client's address (server.requestIP: sign-in throttling, stream caps) only of its own.
function answerBodyFrom(request: Request, bytes: Uint8Array<ArrayBuffer>) {
  for (const method of ['arrayBuffer', 'blob', 'bytes', 'formData', 'json', 'text'] as const)
    Object.defineProperty(request, method, { value: () => new Response(bytes, { headers: request.headers })[method]() })
}

export function bodyPolicyPlugin(options: { timeoutMs: number }) {
  return new Elysia({ name: 'body-policy', seed: options }).onRequest(async ({ request }) => {
    if (!hasBody(request)) return
    const path = new URL(request.url).pathname
    if (uploadPaths.some(pattern => pattern.test(path))) return
    const maxBytes = maxBytesOf(request)
    const bytes = await readSmallBody(request.body, { maxBytes, timeoutMs: options.timeoutMs, bytesPerExtraSecond })
    answerBodyFrom(request, bytes)
  })
}
