// The password change and account deletion forms: what was typed (passwords are never
// echoed back) and what is wrong with it, checked before the account services see it.
import { type FormErrors, fieldText } from '../ui/form'
import { newPasswordError } from './credentials-form'

export type PasswordChangeForm = { currentPassword: string; newPassword: string }
export type AccountDeletionForm = { password: string; titles: 'keep' | 'delete' | '' }

export function passwordChangeFormOf(body: unknown): PasswordChangeForm {
  return { currentPassword: fieldText(body, 'currentPassword'), newPassword: fieldText(body, 'newPassword') }
}

// The registration rule (credentials-form.ts) for the new one.
export function validatePasswordChange(form: PasswordChangeForm): FormErrors {
  const errors: FormErrors = {}
  if (form.currentPassword === '') errors.currentPassword = 'form.required'
  const newPassword = newPasswordError(form.newPassword)
  if (newPassword) errors.newPassword = newPassword
  return errors
}

export function accountDeletionFormOf(body: unknown): AccountDeletionForm {
  const titles = fieldText(body, 'titles')
  return { password: fieldText(body, 'password'), titles: titles === 'keep' || titles === 'delete' ? titles : '' }
}

// No default for the titles: deleting them cannot be undone, so the choice is the user's.
export function validateAccountDeletion(form: AccountDeletionForm): FormErrors {
  const errors: FormErrors = {}
  if (form.password === '') errors.password = 'form.required'
  if (form.titles === '') errors.titles = 'account_delete.choose_titles'
  return errors
}
