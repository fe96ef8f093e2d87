// The forms that need the user's password (changing it, deleting the account): the check
// is the API's (throttled), a wrong password is said next to its field, a wait above the form.
import { confirmPassword } from '../../auth/passwords'
import type { AppDeps } from '../../deps'
import { attempt } from '../attempt'
import { type FormErrors, hasErrors } from '../ui/form'

type Refusal = { errors: FormErrors; status: number }
type PasswordInput = { userId: number; password: string; clientAddress: string; field: string }

// The form's own errors first (a 400, the password unchecked), then the password.
export async function formOrPasswordRefusal(deps: AppDeps, errors: FormErrors, input: PasswordInput): Promise<Refusal | null> {
  if (hasErrors(errors)) return { errors, status: 400 }
  return confirmPasswordOnPage(deps, input)
}

export async function confirmPasswordOnPage(deps: AppDeps, input: PasswordInput): Promise<Refusal | null> {
  const confirmed = await attempt(() => confirmPassword(deps, input))
  if (confirmed.ok) return null
  const { code, status } = confirmed.error
  const errors = code === 'invalid_credentials' ? { [input.field]: 'form.current_password_wrong' } : { form: `error.${code}` }
  return { errors, status }
}
