// Sign-in and registration forms: what was typed (kept on error, except the password)
// and what is wrong with it, checked before the account service sees it.
import { safeNextPath } from '../next-path'
import { type FormErrors, fieldText } from '../ui/form'

export type CredentialsForm = { username: string; password: string; next: string }

export function credentialsFormOf(body: unknown): CredentialsForm {
  // `next` is checked as it comes in: the form is echoed back on error, hidden field included.
  const next = safeNextPath(fieldText(body, 'next'))
  return { username: fieldText(body, 'username').trim(), password: fieldText(body, 'password'), next }
}

const usernamePattern = /^[\p{L}\p{N}_.-]+$/u

export function validateRegistration(form: CredentialsForm): FormErrors {
  const errors: FormErrors = {}
  const length = [...form.username].length
  if (length < 3 || length > 32) errors.username = 'form.username_length'
  else if (!usernamePattern.test(form.username)) errors.username = 'form.username_characters'
  if (form.password.length < 8) errors.password = 'form.password_too_short'
  else if (form.password.length > 256) errors.password = 'form.password_too_long'
  return errors
}

export function validateSignIn(form: CredentialsForm): FormErrors {
  const errors: FormErrors = {}
  if (form.username === '') errors.username = 'form.required'
  if (form.password === '') errors.password = 'form.required'
  return errors
}
