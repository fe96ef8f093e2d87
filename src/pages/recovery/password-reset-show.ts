import { isPasswordResetUsable } from '../../auth/password-resets'
import type { AppDeps } from '../../deps'
import type { PageContext } from '../context'
import { moveSecretToCookie, passwordLink, secretFromCookie } from '../secret-link'
import { renderPasswordResetPage } from './password-reset-page'

export async function showPasswordReset(deps: AppDeps, ctx: PageContext, http: { cookie: unknown; request: Request }) {
  const moved = moveSecretToCookie(ctx, { ...http, publicUrl: deps.config.publicUrl }, passwordLink)
  if (moved) return moved
  const token = secretFromCookie(http.cookie, passwordLink)
  if (token === '' || !(await isPasswordResetUsable(deps.db, token))) return renderPasswordResetPage(ctx, { state: 'invalid' })
  return renderPasswordResetPage(ctx, { state: 'form', token })
}
