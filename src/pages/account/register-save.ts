import { registerAccount } from '../../auth/registration'
import type { AppDeps } from '../../deps'
import { attempt } from '../attempt'
import type { PageContext } from '../context'
import { credentialsFormOf, validateRegistration } from './credentials-form'
import { redirectTo } from '../respond'
import { forgetSecret, inviteLink } from '../secret-link'
import { hasErrors } from '../ui/form'
import { renderNoRegistration, renderRegistration } from './registration-page'
import { startSession } from './session'

type RegistrationHttp = { body: unknown; cookie: unknown; request: Request; clientAddress: string }

export async function saveRegistration(deps: AppDeps, ctx: PageContext, http: RegistrationHttp) {
  deps.throttle.takeSignUp(http.clientAddress)
  const form = credentialsFormOf(http.body)
  if (deps.config.registration === 'closed') return renderNoRegistration(ctx, 'closed', 403)
  const errors = validateRegistration(form)
  if (hasErrors(errors)) return renderRegistration(deps, ctx, { form, errors, status: 400 })
  const created = await attempt(() => registerAccount(deps.db, deps.config.registration, form))
  if (!created.ok && created.error.code === 'invite_invalid') return renderNoRegistration(ctx, 'invite_invalid', 403)
  if (!created.ok)
    return renderRegistration(deps, ctx, {
      form,
      errors: { username: `error.${created.error.code}` },
      status: created.error.status,
    })
  if (form.invite) forgetSecret(http.cookie, inviteLink)
  await startSession(deps, created.value.id, http)
  return redirectTo(ctx, form.next)
}
