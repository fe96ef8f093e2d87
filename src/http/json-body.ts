import { Elysia } from 'elysia'
import { badRequest, payloadTooLarge, unsupportedMediaType } from './errors'

export const maxJsonBytes = 1024 * 1024

const bodyless = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE'])

// Reads at most `limit` bytes, whether or not the client declared a Content-Length.
async function readTextCapped(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? 0)
  if (declared > limit) throw payloadTooLarge(`JSON bodies are limited to ${limit} bytes`)
  if (!request.body) return ''
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = request.body.getReader()
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    const chunk = next.value
    size += chunk.byteLength
    if (size > limit) {
      await reader.cancel()
      throw payloadTooLarge(`JSON bodies are limited to ${limit} bytes`)
    }
    chunks.push(chunk)
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks))
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    throw badRequest('invalid_json', 'The request body is not valid JSON')
  }
}

function hasBody(request: Request): boolean {
  const length = request.headers.get('content-length')
  return length !== null ? length !== '0' : request.headers.has('transfer-encoding')
}

// The JSON API takes JSON (and multipart for file fields); anything else is a 415.
// Routes that stream their body (uploads) declare `parse: 'none'` and never get here.
export const jsonBodyPlugin = new Elysia({ name: 'json-body' }).onParse(
  { as: 'global' },
  async ({ request, contentType }) => {
    if (bodyless.has(request.method) || !hasBody(request)) return
    const type = (contentType ?? '').split(';')[0].trim().toLowerCase()
    if (type === 'application/json' || type.endsWith('+json')) return parseJson(await readTextCapped(request, maxJsonBytes))
    if (new URL(request.url).pathname.startsWith('/api/') && type !== 'multipart/form-data')
      throw unsupportedMediaType('Send the body as application/json')
  },
)
