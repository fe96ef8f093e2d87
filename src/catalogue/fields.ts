// Checks the schema cannot express (blank after trimming, duplicate genres) and the
// normal form stored: trimmed text, empty optional text as null.
import { badRequest } from '../http/errors'
import { foldText } from './search'

export function invalidField(field: string, problem: string) {
  return badRequest('invalid_input', `Invalid field "${field}": ${problem}`)
}

export function requiredText(value: string, field: string): string {
  const trimmed = value.trim()
  if (trimmed === '') throw invalidField(field, 'must not be blank')
  return trimmed
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
  if (input.originalName !== undefined) clean.originalName = optionalText(input.originalName)
  if (input.description !== undefined) clean.description = optionalText(input.description)
  if (input.genres !== undefined) clean.genres = cleanGenres(input.genres)
  return clean as T
}
