// Sign-in and registration forms: what was typed (kept on error, except the password)
// and what is wrong with it, checked before the account service sees it.
import { passwordRule } from '../../auth/rules'
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

// The account service's own rules (src/auth/usernames.ts), with messages for the form.
export function usernameError(username: string): string | undefined {
  const problem = usernameProblem(cleanUsername(username))
  if (problem) return problem === 'length' ? 'form.username_length' : 'form.username_characters'
}

// A new password (registration, password change, reset link): the password rule.
export function newPasswordError(password: string): string | undefined {
  if (password.length < passwordRule.minLength) return 'form.password_too_short'
  if (password.length > passwordRule.maxLength) return 'form.password_too_long'
}

export function validateRegistration(form: CredentialsForm): FormErrors {
  const errors: FormErrors = {}
  const username = usernameError(form.username)
  if (username) errors.username = username
  const password = newPasswordError(form.password)
  if (password) errors.password = password
  return errors
}

export function validateSignIn(form: CredentialsForm): FormErrors {
  const errors: FormErrors = {}
  if (form.username === '') errors.username = 'form.required'
  if (form.password === '') errors.password = 'form.required'
  return errors
}
