import { currentSessionId, publicSessionIdPattern, revokeSession } from '../../auth/my-sessions'
import { type Viewer, clearSessionCookies } from '../../auth/plugin'
import type { AppDeps } from '../../deps'
import { notFound } from '../../http/errors'
import { redirectTo, signedIn, type SignedInPage } from '../respond'
import type { CookieJar } from './session'

const sessionIdPattern = new RegExp(publicSessionIdPattern)

// "Sign out" next to one session of the list; ending the current one signs this browser out.
export const removeSession = signedIn(
  async (deps: AppDeps, ctx: SignedInPage, http: { id: string; viewer: Viewer | null; cookie: unknown }) => {
    if (!sessionIdPattern.test(http.id)) throw notFound('session_not_found', 'No such session')
    const revokedId = await revokeSession(deps.db, ctx.user.id, http.id)
    if (revokedId !== currentSessionId(http.viewer)) return redirectTo(ctx, '/account?done=session')
    clearSessionCookies(http.cookie as CookieJar, deps.config.publicUrl)
    return redirectTo(ctx, '/')
  },
)
