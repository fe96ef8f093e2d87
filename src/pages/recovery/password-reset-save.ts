import { usePasswordReset } from '../../auth/password-resets'
import type { AppDeps } from '../../deps'
import { attempt } from '../attempt'
import type { PageContext } from '../context'
import { forgetSecret, passwordLink } from '../secret-link'
import { newPasswordError } from '../account/credentials-form'
import { fieldText } from '../ui/form'
import { renderPasswordResetPage } from './password-reset-page'

export async function savePasswordReset(deps: AppDeps, ctx: PageContext, http: { body: unknown; cookie: unknown }) {
  const token = fieldText(http.body, 'token')
  const password = fieldText(http.body, 'password')
  const error = newPasswordError(password)
  if (error) return renderPasswordResetPage(ctx, { state: 'form', token, errors: { password: error } }, 400)
  const used = await attempt(() => usePasswordReset(deps.db, token, password))
  if (!used.ok) return renderPasswordResetPage(ctx, { state: 'invalid' }, used.error.status)
  forgetSecret(http.cookie, passwordLink)
  return renderPasswordResetPage(ctx, { state: 'done' })
}
