import type { ReviewInput } from '../../reviews/model'
import { reviewBodyRule } from '../../reviews/rules'
import { type FormErrors, fieldText } from '../ui/form'

export type ReviewForm = { body: string; spoiler: boolean }

export function reviewFormOf(body: unknown): ReviewForm {
  return { body: fieldText(body, 'body'), spoiler: fieldText(body, 'spoiler') === 'on' }
}

export function validateReviewForm(form: ReviewForm): { ok: true; input: ReviewInput } | { ok: false; errors: FormErrors } {
  if (form.body.trim() === '') return { ok: false, errors: { body: 'form.review_empty' } }
  if (form.body.length > reviewBodyRule.maxLength) return { ok: false, errors: { body: 'form.review_too_long' } }
  return { ok: true, input: { body: form.body, spoiler: form.spoiler } }
}
