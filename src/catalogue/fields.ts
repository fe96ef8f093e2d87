// Checks the schema cannot express (blank after trimming, duplicate genres) and the
// normal form stored: trimmed text, empty optional text as null, names without bidi or
// zero-width characters (src/text/invisible.ts). Descriptions keep them: free text is
// isolated where it is shown instead.
import { badRequest } from '../http/errors'
import { stripInvisible } from '../text/invisible'
import { foldText } from './search'

export function invalidField(field: string, problem: string) {
  return badRequest('invalid_input', `Invalid field "${field}": ${problem}`)
}

// A name: required, and made of more than invisible characters.
export function requiredText(value: string, field: string): string {
  const trimmed = stripInvisible(value).trim()
  if (trimmed === '') throw invalidField(field, 'must not be blank (invisible characters do not count)')
  return trimmed
}

// An optional name: blank is null, but text of only invisible characters is refused, as
// for a required one (it was meant to say something).
export function optionalName(value: string | null | undefined, field: string): string | null | undefined {
  const text = optionalText(value)
  return typeof text === 'string' ? requiredText(text, field) : text
}

export function optionalText(value: string | null | undefined): string | null | undefined {
  if (value === undefined || value === null) return value
  const trimmed = value.trim()
  return trimmed === '' ? null : trimmed
}

export function genreKey(genre: string): string {
  return foldText(genre.trim())
}

// "Drama", "drama " and "DRAMA" are one genre: the first spelling is kept.
function cleanGenres(genres: string[]): string[] {
  const byKey = new Map<string, string>()
  genres.forEach((genre, i) => {
    const spelling = requiredText(genre, `genres[${i}]`)
    if (!byKey.has(genreKey(spelling))) byKey.set(genreKey(spelling), spelling)
  })
  return [...byKey.values()]
}

type TextFields = { name?: string; originalName?: string | null; description?: string | null; genres?: string[] }

// Only the fields present are touched, so this serves titles and episodes, create and PATCH.
// Keys given as undefined are dropped, so a caller's `{ name: undefined }` changes nothing.
export function cleanTextFields<T extends TextFields>(input: T): T {
  const clean: TextFields = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined))
  if (input.name !== undefined) clean.name = requiredText(input.name, 'name')
  if (input.originalName !== undefined) clean.originalName = optionalName(input.originalName, 'originalName')
  if (input.description !== undefined) clean.description = optionalText(input.description)
  if (input.genres !== undefined) clean.genres = cleanGenres(input.genres)
  return clean as T
}
