// The create/edit form of a title: text as typed, checked here with messages people can
// act on; the catalogue service checks again (it serves the API too).
import type { Title, TitleInput } from '../../catalogue/model'
import {
  descriptionRule,
  genreRule,
  genresRule,
  nameRule,
  optionalNameRule,
  type TitleKind,
  titleKinds,
  yearRule,
} from '../../catalogue/rules'
import { digitsOf, isIntegerIn } from '../ui/numbers'
import { type FormErrors, fieldText } from '../ui/form'
import { stripInvisible } from '../../text/invisible'

export type TitleForm = {
  kind: string
  name: string
  originalName: string
  year: string
  description: string
  genres: string
}

export const emptyTitleForm: TitleForm = { kind: 'movie', name: '', originalName: '', year: '', description: '', genres: '' }

export function titleFormOf(body: unknown): TitleForm {
  const text = (name: keyof TitleForm) => fieldText(body, name)
  return {
    kind: text('kind'),
    name: text('name'),
    originalName: text('originalName'),
    year: text('year').trim(),
    description: text('description'),
    genres: text('genres'),
  }
}

export function titleFormFrom(title: Title): TitleForm {
  return {
    kind: title.kind,
    name: title.name,
    originalName: title.originalName ?? '',
    year: title.year === null ? '' : String(title.year),
    description: title.description ?? '',
    genres: title.genres.join(', '),
  }
}

// "Drama, Crime ,," → ["Drama", "Crime"]
function genreList(text: string): string[] {
  return text
    .split(',')
    .map(genre => genre.trim())
    .filter(genre => genre !== '')
}

export type TitleFormResult = { ok: true; input: TitleInput } | { ok: false; errors: FormErrors }

export function validateTitleForm(form: TitleForm): TitleFormResult {
  const errors: FormErrors = {}
  if (!titleKinds.includes(form.kind as TitleKind)) errors.kind = 'form.kind_required'
  if (stripInvisible(form.name).trim() === '') errors.name = 'form.required'
  else if (form.name.length > nameRule.maxLength) errors.name = 'form.too_long'
  if (form.originalName.length > optionalNameRule.maxLength) errors.originalName = 'form.too_long'
  const year = Number(form.year)
  const isYear = form.year.length === digitsOf(yearRule.maximum) && isIntegerIn(form.year, yearRule)
  if (form.year !== '' && !isYear) errors.year = 'form.year_range'
  if (form.description.length > descriptionRule.maxLength) errors.description = 'form.too_long'
  const genres = genreList(form.genres)
  if (genres.length > genresRule.maxItems) errors.genres = 'form.genres_too_many'
  else if (genres.some(genre => genre.length > genreRule.maxLength)) errors.genres = 'form.genre_too_long'
  if (Object.keys(errors).length > 0) return { ok: false, errors }
  return {
    ok: true,
    input: {
      kind: form.kind as TitleInput['kind'],
      name: form.name.trim(),
      originalName: form.originalName.trim() || null,
      year: form.year === '' ? null : year,
      description: form.description.trim() || null,
      genres,
    },
  }
}

// Which field a refusal of the catalogue service is about.
export function titleErrorField(code: string): keyof TitleForm | 'form' {
  return code === 'title_has_seasons' || code === 'title_has_media' ? 'kind' : 'form'
}
