// Sign-in and registration forms: what was typed (kept on error, except the password)
// and what is wrong with it, checked before the account service sees it.
import { cleanUsername, usernameProblem } from '../../auth/usernames'
import { safeNextPath } from '../next-path'
import { type FormErrors, fieldText } from '../ui/form'

// `invite`: the secret of an invite link (Registration=invite), carried in a hidden field.
export type CredentialsForm = { username: string; password: string; next: string; invite?: string }

export function credentialsFormOf(body: unknown): CredentialsForm {
  // `next` is checked as it comes in: the form is echoed back on error, hidden field included.
  const next = safeNextPath(fieldText(body, 'next'))
  return { username: fieldText(body, 'username').trim(), password: fieldText(body, 'password'), next, invite: fieldText(body, 'invite') }
}

export function validateRegistration(form: CredentialsForm): FormErrors {
  const errors: FormErrors = {}
  // The account service's own rules (src/auth/usernames.ts), with messages for the form.
  const problem = usernameProblem(cleanUsername(form.username))
  if (problem) errors.username = problem === 'length' ? 'form.username_length' : 'form.username_characters'
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
