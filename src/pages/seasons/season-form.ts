import type { SeasonInput } from '../../catalogue/model'
import { optionalNameRule, seasonNumberRule } from '../../catalogue/rules'
import { type FormErrors, fieldText } from '../ui/form'
import { isIntegerIn } from '../ui/numbers'

export type SeasonForm = { number: string; name: string }

export function seasonFormOf(body: unknown): SeasonForm {
  return { number: fieldText(body, 'number').trim(), name: fieldText(body, 'name') }
}

export function validateSeasonForm(form: SeasonForm): { ok: true; input: SeasonInput } | { ok: false; errors: FormErrors } {
  const errors: FormErrors = {}
  const number = Number(form.number)
  if (!isIntegerIn(form.number, seasonNumberRule)) errors.number = 'form.season_number_range'
  if (form.name.length > optionalNameRule.maxLength) errors.name = 'form.too_long'
  if (Object.keys(errors).length > 0) return { ok: false, errors }
  return { ok: true, input: { number, name: form.name.trim() || null } }
}

export function seasonErrorField(code: string): keyof SeasonForm | 'form' {
  return code === 'season_exists' ? 'number' : 'form'
}
