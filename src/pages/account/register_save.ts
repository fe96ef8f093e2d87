import { createUser } from '../../auth/users'
import type { AppDeps } from '../../deps'
import { attempt } from '../attempt'
import type { PageRequest } from '../context'
import { credentialsFormOf, validateRegistration } from '../forms/credentials'
import { redirectTo } from '../respond'
import { hasErrors } from '../ui/form'
import { renderCredentialsPage } from './credentials_page'
import { startSession } from './session'

type RegistrationHttp = { body: unknown; cookie: unknown; request: Request; clientAddress: string }

export async function saveRegistration(deps: AppDeps, page: PageRequest, http: RegistrationHttp) {
  deps.throttle.takeSignUp(http.clientAddress)
  const form = credentialsFormOf(http.body)
  const errors = validateRegistration(form)
  if (hasErrors(errors)) return renderCredentialsPage(page, 'register', { form, errors, status: 400 })
  const created = await attempt(() => createUser(deps.db, form))
  if (!created.ok)
    return renderCredentialsPage(page, 'register', {
      form,
      errors: { username: `error.${created.error.code}` },
      status: created.error.status,
    })
  await startSession(deps, created.value.id, http)
  return redirectTo(page, form.next)
}
