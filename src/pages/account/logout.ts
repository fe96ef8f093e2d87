import type { Viewer } from '../../auth/plugin'
import { clearSessionCookies } from '../../auth/plugin'
import { invalidateSession } from '../../auth/sessions'
import type { AppDeps } from '../../deps'
import type { PageContext } from '../context'
import { redirectTo } from '../respond'
import type { CookieJar } from './session'

export async function logout(deps: AppDeps, ctx: PageContext, http: { viewer: Viewer | null; cookie: unknown }) {
  if (http.viewer?.via === 'cookie') await invalidateSession(deps.db, http.viewer.session.id)
  clearSessionCookies(http.cookie as CookieJar, deps.config.publicUrl)
  return redirectTo(ctx, '/')
}
