import type { EpisodeInput } from '../../catalogue/model'
import { descriptionRule, episodeNumberRule, nameRule } from '../../catalogue/rules'
import { type FormErrors, fieldText } from '../ui/form'
import { isIntegerIn } from '../ui/numbers'
import { stripInvisible } from '../../text/invisible'

export type EpisodeForm = { number: string; name: string; description: string }

export function episodeFormOf(body: unknown): EpisodeForm {
  return { number: fieldText(body, 'number').trim(), name: fieldText(body, 'name'), description: fieldText(body, 'description') }
}

export function validateEpisodeForm(form: EpisodeForm): { ok: true; input: EpisodeInput } | { ok: false; errors: FormErrors } {
  const errors: FormErrors = {}
  const number = Number(form.number)
  if (!isIntegerIn(form.number, episodeNumberRule)) errors.number = 'form.episode_number_range'
  if (stripInvisible(form.name).trim() === '') errors.name = 'form.required'
  else if (form.name.length > nameRule.maxLength) errors.name = 'form.too_long'
  if (form.description.length > descriptionRule.maxLength) errors.description = 'form.too_long'
  if (Object.keys(errors).length > 0) return { ok: false, errors }
  return { ok: true, input: { number, name: form.name.trim(), description: form.description.trim() || null } }
}

export function episodeErrorField(code: string): keyof EpisodeForm | 'form' {
  return code === 'episode_exists' ? 'number' : 'form'
}
