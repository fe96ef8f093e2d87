// Who is asking: resolves the session cookie or bearer token once per request into
// `viewer`, guards cookie-authenticated mutations against CSRF, and offers the
// `signedIn` macro that routes use to require an account.
import { Elysia } from 'elysia'
import type { AppDeps } from '../deps'
import { clientAddress } from '../http/client-address'
import { csrfCookie, hasSource, hasValidCsrfToken, isFromThisSite, isMutation, streamedFormRoutes } from '../http/csrf'
import { forbidden, unauthorized } from '../http/errors'
import { accountSecurity, errorAnswer } from '../http/openapi'
import { useApiToken } from './api-tokens'
import { isApiOrMedia, membersOnly, needsMember } from './browsing'
import { type SessionRecord, createSession, sessionLifetimeMs, validateSessionToken } from './sessions'
import { type User, toUser } from './users'

export const sessionCookie = 'mp_session'

// Served over https (PublicUrl), the cookies carry the `__Host-` prefix: the browser then
// keeps them only if they are Secure, for Path=/ and with no Domain, so a sibling subdomain
// or a plain-http page on the same host can never plant or overwrite them. The prefix is
// decided by the configuration, not per request, so every request reads the same names.
export type CookieNames = { session: string; csrf: string }

export function cookieNames(publicUrl: string | null): CookieNames {
  const prefix = publicUrl?.startsWith('https:') ? '__Host-' : ''
  return { session: prefix + sessionCookie, csrf: prefix + csrfCookie }
}

// `csrfCookie`: the name of the cookie the page's scripts read the CSRF token from.
export type Viewer = { user: User; via: 'cookie'; session: SessionRecord; csrfCookie: string } | { user: User; via: 'bearer' }

type CookieJar = Record<string, { value: unknown; set: (options: Record<string, unknown>) => unknown; remove: () => unknown }>

export function isHttps(request: Request, publicUrl: string | null): boolean {
  return (
    new URL(request.url).protocol === 'https:' ||
    request.headers.get('x-forwarded-proto') === 'https' ||
    (publicUrl?.startsWith('https:') ?? false)
  )
}

export function setSessionCookies(
  cookie: CookieJar,
  options: { token: string; session: SessionRecord; isSecure: boolean; publicUrl: string | null },
) {
  const names = cookieNames(options.publicUrl)
  const expires = new Date(options.session.expiresAtMs)
  const common = { path: '/', sameSite: 'lax', secure: options.isSecure, expires }
  cookie[names.session].set({ value: options.token, httpOnly: true, ...common })
  // Readable by the page's scripts (htmx, fetch) so they can echo it in X-CSRF-Token.
  cookie[names.csrf].set({ value: options.session.csrfToken, httpOnly: false, ...common })
}

// Signs a user in (after a sign-in or a sign-up, from the API or a page): a new session and its cookies.
export async function startSession(deps: AppDeps, userId: number, http: { cookie: unknown; request: Request }) {
  const { token, session } = await createSession(deps.db, userId, http.request.headers.get('user-agent'))
  setSessionCookies(http.cookie as CookieJar, {
    token,
    session,
    isSecure: isHttps(http.request, deps.config.publicUrl),
    publicUrl: deps.config.publicUrl,
  })
}

// A `__Host-` cookie is only removed by a Set-Cookie that is Secure too.
export function clearSessionCookies(cookie: CookieJar, publicUrl: string | null) {
  const names = cookieNames(publicUrl)
  const secure = names.session !== sessionCookie
  for (const name of [names.session, names.csrf]) cookie[name].set({ value: '', path: '/', maxAge: 0, secure })
}

export function bearerToken(request: Request): string | null {
  const header = request.headers.get('authorization')
  const match = header && /^Bearer\s+(\S+)$/i.exec(header)
  return match ? match[1] : null
}

// Unknown tokens and cookies are counted per client address; past the limit the address
// gets 429 before any credential it sends is looked up (so guessing stops there), while
// requests without one go on as usual.
async function resolveViewer(deps: AppDeps, request: Request, cookie: CookieJar, address: string): Promise<Viewer | null> {
  const bearer = bearerToken(request)
  if (bearer !== null) {
    deps.throttle.refuseFailingClient(address)
    const row = await useApiToken(deps.db, bearer)
    if (!row) {
      deps.throttle.recordFailedCredential(address, bearer)
      throw unauthorized('The API token is unknown or revoked')
    }
    return { user: toUser(row, deps.admins), via: 'bearer' }
  }
  const { publicUrl } = deps.config
  const names = cookieNames(publicUrl)
  const token = cookie[names.session]?.value
  if (typeof token !== 'string' || token === '') return null
  deps.throttle.refuseFailingClient(address)
  const valid = await validateSessionToken(deps.db, token)
  if (!valid) {
    deps.throttle.recordFailedCredential(address, token)
    clearSessionCookies(cookie, publicUrl)
    return null
  }
  if (valid.isRenewed) setSessionCookies(cookie, { token, session: valid.session, isSecure: isHttps(request, publicUrl), publicUrl })
  return { user: toUser(valid.user, deps.admins), via: 'cookie', session: valid.session, csrfCookie: names.csrf }
}

// Browsing=members: the API and the media files answer 401 to anyone not signed in (pages
// send them to sign in instead: pages/index.ts).
function refuseAnonymousReader(deps: AppDeps, request: Request, viewer: Viewer | null) {
  const { pathname } = new URL(request.url)
  if (isApiOrMedia(pathname) && needsMember({ mode: deps.config.browsing, pathname, isSignedIn: viewer !== null })) throw membersOnly()
}

type CsrfContext = { request: Request; body: unknown; route: string; viewer: Viewer | null }

function checkCsrf(deps: AppDeps, { request, body, route, viewer }: CsrfContext) {
  if (!isMutation(request) || viewer?.via === 'bearer') return
  if (viewer?.via === 'cookie') {
    if (!isFromThisSite(request, deps.config.publicUrl))
      throw forbidden('csrf_origin_mismatch', 'This request did not come from this site')
    if (!hasValidCsrfToken(request, body, viewer.session.csrfToken) && !streamedFormRoutes.has(route))
      throw forbidden('csrf_token_invalid', 'The CSRF token is missing or wrong; reload the page')
    return
  }
  // Anonymous mutations (sign-in, registration) from a foreign page are refused too.
  if (hasSource(request) && !isFromThisSite(request, deps.config.publicUrl))
    throw forbidden('csrf_origin_mismatch', 'This request did not come from this site')
}

export const authPlugin = (deps: AppDeps) =>
  new Elysia({ name: 'auth', seed: deps.config.file })
    .derive({ as: 'global' }, async ({ request, cookie, server }) => {
      // Who sent it, for every per-client limit (sign-ins, sign-ups, event streams).
      const address = clientAddress(server, request, deps.config)
      return { clientAddress: address, viewer: await resolveViewer(deps, request, cookie as unknown as CookieJar, address) }
    })
    .onBeforeHandle({ as: 'global' }, ({ request, body, route, viewer }) => {
      refuseAnonymousReader(deps, request, viewer)
      checkCsrf(deps, { request, body, route, viewer })
    })
    .macro({
      signedIn: {
        resolve({ viewer }) {
          if (!viewer) throw unauthorized()
          return { user: viewer.user }
        },
        // Every operation that needs an account says so in the OpenAPI document, with its 401.
        // (A `response` here would drop the route's own `detail.responses` from the document.)
        detail: { security: accountSecurity, responses: { 401: errorAnswer('Not signed in') } },
      },
    })

export { sessionLifetimeMs }
