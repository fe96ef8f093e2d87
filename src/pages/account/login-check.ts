import { signIn } from '../../auth/login'
import { refuseDisabled } from '../../auth/admin-users'
import type { AppDeps } from '../../deps'
import type { PageContext } from '../context'
import { credentialsFormOf, validateSignIn } from './credentials-form'
import { redirectTo } from '../respond'
import { hasErrors } from '../ui/form'
import { renderCredentialsPage } from './credentials-page'
import { startSession } from './session'
import { AppError } from '../../http/errors'

const shownOnForm = ['invalid_credentials', 'too_many_attempts', 'account_disabled']

type LoginHttp = { body: unknown; cookie: unknown; request: Request; clientAddress: string }

export async function checkLogin(deps: AppDeps, ctx: PageContext, http: LoginHttp) {
  const form = credentialsFormOf(http.body)
  const errors = validateSignIn(form)
  if (hasErrors(errors)) return renderCredentialsPage(ctx, 'login', { form, errors, status: 400 })
  const user = await signIn(deps, form, http.clientAddress)
    .then(row => {
      refuseDisabled(row)
      return row
    })
    .catch(error => {
      if (error instanceof AppError && shownOnForm.includes(error.code)) return error
      throw error
    })
  if (user instanceof AppError) {
    const response = renderCredentialsPage(ctx, 'login', { form, errors: { form: `error.${user.code}` }, status: user.status })
    for (const [name, value] of Object.entries(user.headers)) response.headers.set(name, value)
    return response
  }
  await startSession(deps, user.id, http)
  return redirectTo(ctx, form.next)
}
