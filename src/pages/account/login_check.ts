import { refuseDisabled } from '../../auth/admin-users'
import type { AppDeps } from '../../deps'
import type { PageRequest } from '../context'
import { credentialsFormOf, validateSignIn } from '../forms/credentials'
import { redirectTo, safeNextPath } from '../respond'
import { hasErrors } from '../ui/form'
import { renderCredentialsPage } from './credentials_page'
import { startSession } from './session'
import { AppError } from '../../http/errors'

const shownOnForm = ['invalid_credentials', 'too_many_attempts', 'account_disabled']

type LoginHttp = { body: unknown; cookie: unknown; request: Request; clientAddress: string }

export async function checkLogin(deps: AppDeps, page: PageRequest, http: LoginHttp) {
  const form = credentialsFormOf(http.body)
  const errors = validateSignIn(form)
  if (hasErrors(errors)) return renderCredentialsPage(page, 'login', { form, errors, status: 400 })
  const user = await deps.loginGate
    .signIn(deps.db, form, http.clientAddress)
    .then((row) => (refuseDisabled(row), row))
    .catch((error) => {
      if (error instanceof AppError && shownOnForm.includes(error.code)) return error
      throw error
    })
  if (user instanceof AppError)
    return renderCredentialsPage(page, 'login', { form, errors: { form: `error.${user.code}` }, status: user.status })
  await startSession(deps, user.id, http)
  return redirectTo(page, safeNextPath(form.next))
}
