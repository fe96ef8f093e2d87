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
  for await (const chunk of request.body) {
    size += chunk.byteLength
    if (size > limit) throw payloadTooLarge(`JSON bodies are limited to ${limit} bytes`)
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

// The JSON API takes JSON (and multipart for file fields); anything else is a 415.
// Routes that stream their body (uploads) declare `parse: 'none'` and never get here.
export const jsonBodyPlugin = new Elysia({ name: 'json-body' }).onParse(
  { as: 'global' },
  async ({ request, contentType }) => {
    if (bodyless.has(request.method)) return
    const type = (contentType ?? '').split(';')[0].trim().toLowerCase()
    if (type === 'application/json' || type.endsWith('+json')) return parseJson(await readTextCapped(request, maxJsonBytes))
    if (new URL(request.url).pathname.startsWith('/api/') && type !== 'multipart/form-data')
      throw unsupportedMediaType('Send the body as application/json')
  },
)
