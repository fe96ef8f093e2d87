import type { AppDeps } from '../../deps'
import type { PageContext } from '../context'
import { safeNextPath } from '../next-path'
import { redirectTo } from '../respond'
import { inviteLink, moveSecretToCookie, secretFromCookie } from '../secret-link'
import { renderRegistration } from './registration-page'

export async function showRegistration(deps: AppDeps, ctx: PageContext, http: { cookie: unknown; request: Request }) {
  const next = safeNextPath(ctx.url.searchParams.get('next'))
  if (ctx.user) return redirectTo(ctx, next)
  const moved = moveSecretToCookie(ctx, { ...http, publicUrl: deps.config.publicUrl }, inviteLink)
  if (moved) return moved
  const invite = secretFromCookie(http.cookie, inviteLink)
  return renderRegistration(deps, ctx, { form: { username: '', password: '', next, invite } })
}
