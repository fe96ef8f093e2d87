import { Elysia } from 'elysia'
import { AppError, payloadTooLarge, unsupportedMediaType } from './errors'

export const maxJsonBytes = 1024 * 1024
export const maxMultipartBytes = 8 * 1024 * 1024

// Upload routes stream their body to disk (`parse: 'none'`) and enforce MaxUploadBytes
// themselves; every other API body is small and parsed in memory.
const streamingPaths = /^\/api\/v1\/(uploads(\/|$)|(titles|episodes)\/[^/]+\/video$)/

// What the JSON API accepts (as the OpenAPI document says), and how much of it.
const smallBodyLimits: Record<string, number> = {
  'application/json': maxJsonBytes,
  'application/x-www-form-urlencoded': maxJsonBytes,
  'multipart/form-data': maxMultipartBytes,
}

const bodyless = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE'])

function mediaType(request: Request): string {
  return (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase()
}

// Checked before routing and before a byte of the body is read, so an oversized or
// unexpected body is refused without being buffered.
function checkApiBody(request: Request) {
  const length = request.headers.get('content-length')
  const isChunked = length === null && request.headers.has('transfer-encoding')
  if (length === '0' || (length === null && !isChunked)) return
  const type = mediaType(request)
  const limit = smallBodyLimits[type] ?? 0
  if (limit === 0) throw unsupportedMediaType('Send the body as application/json')
  if (isChunked) throw new AppError(411, 'length_required', 'Send a Content-Length with the body')
  if (Number(length) > limit) throw payloadTooLarge(`Request bodies are limited to ${limit} bytes here`)
}

export const bodyPolicyPlugin = new Elysia({ name: 'body-policy' }).onRequest(({ request }) => {
  if (bodyless.has(request.method)) return
  const path = new URL(request.url).pathname
  if (path.startsWith('/api/') && !streamingPaths.test(path)) checkApiBody(request)
})
