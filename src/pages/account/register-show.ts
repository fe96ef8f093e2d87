import type { AppDeps } from '../../deps'
import type { PageRequest } from '../context'
import { safeNextPath } from '../next-path'
import { redirectTo } from '../respond'
import { inviteLink, moveSecretToCookie, secretFromCookie } from '../secret-link'
import { renderRegistration } from './registration-page'

export async function showRegistration(deps: AppDeps, page: PageRequest, http: { cookie: unknown; request: Request }) {
  const next = safeNextPath(page.url.searchParams.get('next'))
  if (page.user) return redirectTo(page, next)
  const moved = moveSecretToCookie(page, { ...http, publicUrl: deps.config.publicUrl }, inviteLink)
  if (moved) return moved
  const invite = secretFromCookie(http.cookie, inviteLink)
  return renderRegistration(deps, page, { form: { username: '', password: '', next, invite } })
}
