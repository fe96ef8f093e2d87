// Sign-in and registration forms: what was typed (kept on error, except the password)
// and what is wrong with it, checked before the account service sees it.
import { type FormErrors, fieldText } from '../ui/form'

// `invite`: the secret of an invite link (Registration=invite), carried in a hidden field.
export type CredentialsForm = { username: string; password: string; next: string; invite?: string }

export function credentialsFormOf(body: unknown): CredentialsForm {
  return {
    username: fieldText(body, 'username').trim(),
    password: fieldText(body, 'password'),
    next: fieldText(body, 'next'),
    invite: fieldText(body, 'invite'),
  }
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
