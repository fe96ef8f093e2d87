import { type AppError, forbidden } from './errors'

export const csrfHeader = 'x-csrf-token'
export const csrfFormField = '_csrf'
// `__Host-csrf` when PublicUrl is https (cookieNames in auth/plugin.ts).
export const csrfCookie = 'csrf'

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS'])

export function isMutation(request: Request): boolean {
  return !safeMethods.has(request.method)
}

function sourceOrigin(request: Request): string | null {
  const origin = request.headers.get('origin')
  if (origin && origin !== 'null') return origin
  if (origin === 'null') return 'null'
  return request.headers.get('referer')
}

// Whether the request says where it came from at all (browsers always do on POST).
export function hasSource(request: Request): boolean {
  return sourceOrigin(request) !== null
}

// Same site: the Origin (or Referer) names this server's host, as the browser reached
// it (Host header) or as configured in PublicUrl behind a proxy.
export function isFromThisSite(request: Request, publicUrl: string | null): boolean {
  const source = sourceOrigin(request)
  if (!source || source === 'null') return false
  let host: string
  try {
    host = new URL(source).host
  } catch {
    return false
  }
  if (host === request.headers.get('host')) return true
  return publicUrl !== null && host === new URL(publicUrl).host
}

// Constant-time comparison for secrets of equal length (CSRF tokens): how long it takes
// tells nothing of how much of a guess was right.
export function secretsEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

// The token comes in the X-CSRF-Token header (scripts, htmx) or the `_csrf` form field.
// Never in the query string: a URL lands in logs, history and Referer headers.
export function hasValidCsrfToken(request: Request, body: unknown, expected: string): boolean {
  const fromForm =
    body && typeof body === 'object' && csrfFormField in body ? String((body as Record<string, unknown>)[csrfFormField]) : null
  const sent = request.headers.get(csrfHeader) ?? fromForm
  return sent !== null && secretsEqual(sent, expected)
}

// Forms whose body streams to disk unread (the video upload of a page without JavaScript,
// src/pages/index.ts): the check before the handler cannot see their `_csrf` field, so
// unless the header carries the token, the handler reads the field, which the form puts
// before the file part, and refuses before writing a byte (src/uploads/form-post.ts).
// The Origin check stays before the handler.
export const streamedFormRoutes: ReadonlySet<string> = new Set(['/titles/:id/video', '/episodes/:id/video'])

// The connection stays open: Bun discards the rest of the body (closing it with the body
// unread makes the kernel reset it, and the browser may never show the 403).
export function streamedFormTokenRefused(): AppError {
  return forbidden('csrf_token_invalid', 'The CSRF token is missing or wrong; reload the page')
}
