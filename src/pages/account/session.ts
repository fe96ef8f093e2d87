// Signing in from a page: the same sessions and cookies as the JSON API (src/auth).
import { isHttps, setSessionCookies } from '../../auth/plugin'
import { createSession } from '../../auth/sessions'
import type { AppDeps } from '../../deps'

export type CookieJar = Parameters<typeof setSessionCookies>[0]

export async function startSession(deps: AppDeps, userId: number, http: { cookie: unknown; request: Request }) {
  const { token, session } = await createSession(deps.db, userId, http.request.headers.get('user-agent'))
  setSessionCookies(http.cookie as CookieJar, {
    token,
    session,
    isSecure: isHttps(http.request, deps.config.publicUrl),
    publicUrl: deps.config.publicUrl,
  })
}
