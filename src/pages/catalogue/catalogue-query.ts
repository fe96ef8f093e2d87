// The catalogue's search form is its URL: parsed leniently (a bad value is dropped, never
// an error page) and written back canonically, so every state has one shareable URL.
import type { TitleListQuery } from '../../catalogue/model'
import { genreRule, searchRule, type TitleKind, type TitleSort, titleKinds, titleSorts, yearRule } from '../../catalogue/rules'
import { pageNumberOf } from '../ids'

export type CatalogueQuery = {
  q: string
  kind: '' | TitleKind
  genre: string
  year: number | null
  sort: '' | TitleSort
  page: number
}

export const cataloguePerPage = 24

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | '' {
  return allowed.includes(value as T) ? (value as T) : ''
}

function integerIn(value: string | null, min: number, max: number): number | null {
  if (value === null || !/^\d{1,7}$/.test(value.trim())) return null
  const n = Number(value)
  return n >= min && n <= max ? n : null
}

export function catalogueQueryOf(params: URLSearchParams): CatalogueQuery {
  return {
    q: (params.get('q') ?? '').trim().slice(0, searchRule.maxLength),
    kind: oneOf(params.get('kind'), titleKinds),
    genre: (params.get('genre') ?? '').trim().slice(0, genreRule.maxLength),
    year: integerIn(params.get('year'), yearRule.minimum, yearRule.maximum),
    sort: oneOf(params.get('sort'), titleSorts),
    page: pageNumberOf(params.get('page')),
  }
}

// Only what differs from the defaults, in a fixed order.
export function catalogueHref(query: CatalogueQuery, page = query.page): string {
  const params = new URLSearchParams()
  if (query.q) params.set('q', query.q)
  if (query.kind) params.set('kind', query.kind)
  if (query.genre) params.set('genre', query.genre)
  if (query.year !== null) params.set('year', String(query.year))
  if (query.sort) params.set('sort', query.sort)
  if (page > 1) params.set('page', String(page))
  const search = params.toString()
  return search ? `/?${search}` : '/'
}

export function serviceQueryOf(query: CatalogueQuery): TitleListQuery {
  return {
    q: query.q || undefined,
    kind: query.kind || undefined,
    genre: query.genre || undefined,
    year: query.year ?? undefined,
    sort: query.sort || undefined,
    page: query.page,
    perPage: cataloguePerPage,
  }
}
