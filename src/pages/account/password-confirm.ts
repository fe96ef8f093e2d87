// The forms that need the user's password (changing it, deleting the account): the check
// is the API's (throttled), a wrong password is said next to its field, a wait above the form.
import { confirmPassword } from '../../auth/passwords'
import type { AppDeps } from '../../deps'
import { attempt } from '../attempt'
import type { FormErrors } from '../ui/form'

type Refusal = { errors: FormErrors; status: number }

export async function confirmPasswordOnPage(
  deps: AppDeps,
  input: { userId: number; password: string; clientAddress: string; field: string },
): Promise<Refusal | null> {
  const confirmed = await attempt(() => confirmPassword(deps, input))
  if (confirmed.ok) return null
  const { code, status } = confirmed.error
  const errors = code === 'invalid_credentials' ? { [input.field]: 'form.current_password_wrong' } : { form: `error.${code}` }
  return { errors, status }
}
