// The secret of a one-time link (an invite, a password link) leaves the address at once.
// The first GET of /register?invite=… stores it in a short-lived HttpOnly cookie sent only
// to that page's path and answers 303 to the same page without it. So the secret is in one
// request line (the one access-log line a proxy may write), never in the browser's history
// (the redirect replaces the entry), never in a Referer, and never in any later request's
// address. A hidden form field carries it on to the form post. (A URL fragment would stay
// out of logs altogether but needs JavaScript, and every page works without it.)
import { isHttps } from '../auth/plugin'
import type { PageContext } from './context'
import { redirectTo } from './respond'

export type SecretLink = { param: string; cookie: string; path: string }

export const inviteLink: SecretLink = { param: 'invite', cookie: 'mp_invite', path: '/register' }
export const passwordLink: SecretLink = { param: 'token', cookie: 'mp_password_link', path: '/password-reset' }

// Long enough to fill in a form; the link itself lives on until used or expired.
const cookieMaxAgeSec = 60 * 60

type CookieJar = Record<string, { value: unknown; set: (options: Record<string, unknown>) => unknown }>
export type SecretHttp = { cookie: unknown; request: Request; publicUrl: string | null }

// The redirect that moves the secret into the cookie, or null when the address has none.
export function moveSecretToCookie(ctx: PageContext, http: SecretHttp, link: SecretLink): Response | null {
  const secret = ctx.url.searchParams.get(link.param)
  if (secret === null) return null
  const jar = http.cookie as CookieJar
  jar[link.cookie].set({
    value: secret.slice(0, 100),
    path: link.path,
    httpOnly: true,
    sameSite: 'lax',
    secure: isHttps(http.request, http.publicUrl),
    maxAge: cookieMaxAgeSec,
  })
  const rest = new URLSearchParams(ctx.url.search)
  rest.delete(link.param)
  return redirectTo(ctx, rest.size > 0 ? `${link.path}?${rest}` : link.path)
}

export function secretFromCookie(cookie: unknown, link: SecretLink): string {
  const value = (cookie as CookieJar)[link.cookie]?.value
  return typeof value === 'string' ? value : ''
}

export function forgetSecret(cookie: unknown, link: SecretLink) {
  ;(cookie as CookieJar)[link.cookie].set({ value: '', path: link.path, maxAge: 0 })
}
