// Cross-origin reads of /media/* (server.ini CorsOrigins): a player on another site (an
// embed, a CDN-hosted page) may fetch playlists and segments. Media files are public and
// need no cookies, so credentials are never allowed. With a list of origins the answer
// depends on the request's Origin and says so (`Vary: Origin`, also when there is none),
// so a shared cache keeps one copy per origin; `*` needs no Vary at all.
import type { CorsOrigins } from '../config'

// What a player reads beyond the CORS-safelisted headers: byte ranges and validators.
const exposedHeaders = 'Content-Range, Accept-Ranges, ETag'
const preflightMaxAgeSec = '86400'

export type Cors = {
  // Adds the CORS headers the request's Origin earns to an answer of the file server.
  apply(request: Request, response: Response): Response
  // The answer to `OPTIONS /media/...`: GET and HEAD, with a Range header.
  preflight(request: Request): Response
}

export function corsFor(allowed: CorsOrigins): Cors {
  const allowedOrigin = (request: Request): string | null => {
    if (allowed.kind === 'none') return null
    if (allowed.kind === 'any') return '*'
    const origin = request.headers.get('origin')
    return origin !== null && allowed.origins.has(origin) ? origin : null
  }

  const apply = (request: Request, response: Response): Response => {
    if (allowed.kind === 'none') return response
    if (allowed.kind === 'listed') response.headers.append('vary', 'Origin')
    const origin = allowedOrigin(request)
    if (origin === null) return response
    response.headers.set('access-control-allow-origin', origin)
    response.headers.set('access-control-expose-headers', exposedHeaders)
    return response
  }

  const preflight = (request: Request): Response => {
    const response = new Response(null, { status: 204, headers: { allow: 'GET, HEAD, OPTIONS' } })
    if (allowedOrigin(request) !== null) {
      response.headers.set('access-control-allow-methods', 'GET, HEAD')
      response.headers.set('access-control-allow-headers', 'Range')
      response.headers.set('access-control-max-age', preflightMaxAgeSec)
    }
    return apply(request, response)
  }

  return { apply, preflight }
}
