import { secretsEqual } from '../auth/secrets'

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

// The token comes in the X-CSRF-Token header (scripts, htmx), the `_csrf` form field, or,
// for forms whose body streams to disk unread (a video upload), the `_csrf` query parameter.
export function hasValidCsrfToken(request: Request, body: unknown, expected: string): boolean {
  const fromForm =
    body && typeof body === 'object' && csrfFormField in body ? String((body as Record<string, unknown>)[csrfFormField]) : null
  const sent = request.headers.get(csrfHeader) ?? fromForm ?? new URL(request.url).searchParams.get(csrfFormField)
  return sent !== null && secretsEqual(sent, expected)
}
