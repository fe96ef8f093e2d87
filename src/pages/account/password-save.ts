// The password change form: the current password is checked (throttled like a sign-in),
// then every other session ends and this browser gets a new session (auth/passwords.ts).
import { currentSessionId, listSessions } from '../../auth/my-sessions'
import { changePassword } from '../../auth/passwords'
import { type Viewer, isHttps, setSessionCookies } from '../../auth/plugin'
import type { AppDeps } from '../../deps'
import type { PageContext } from '../context'
import { passwordChangeFormOf, validatePasswordChange } from './password-form'
import { redirectTo, redirectToSignIn } from '../respond'
import type { FormErrors } from '../ui/form'
import { renderAccountPage } from './account-page'
import { formOrPasswordRefusal } from './password-confirm'
import type { CookieJar } from './session'

type PasswordHttp = { body: unknown; viewer: Viewer | null; cookie: unknown; request: Request; clientAddress: string }

export async function savePassword(deps: AppDeps, ctx: PageContext, http: PasswordHttp) {
  const user = ctx.user
  if (!user) return redirectToSignIn(ctx)
  const form = passwordChangeFormOf(http.body)
  const showErrors = async (errors: FormErrors, status: number) =>
    renderAccountPage(
      ctx,
      { sessions: await listSessions(deps.db, user.id, currentSessionId(http.viewer)), passwordErrors: errors },
      status,
    )
  const confirmation = { userId: user.id, password: form.currentPassword, clientAddress: http.clientAddress, field: 'currentPassword' }
  const refusal = await formOrPasswordRefusal(deps, validatePasswordChange(form), confirmation)
  if (refusal) return showErrors(refusal.errors, refusal.status)
  const current = http.viewer?.via === 'cookie' ? { userAgent: http.request.headers.get('user-agent') } : null
  const rotated = await changePassword(deps.db, { userId: user.id, newPassword: form.newPassword, current })
  const { publicUrl } = deps.config
  if (rotated) setSessionCookies(http.cookie as CookieJar, { ...rotated, isSecure: isHttps(http.request, publicUrl), publicUrl })
  return redirectTo(ctx, '/account?done=password')
}
