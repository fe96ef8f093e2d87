import { notFound } from '../http/errors'
import { pageNumberRule } from '../http/model'

// An id in a page URL; anything that is not one is simply a page that does not exist.
export function pageId(raw: string): number {
  const id = /^[1-9]\d{0,14}$/.test(raw) ? Number(raw) : Number.NaN
  if (!Number.isSafeInteger(id)) throw notFound('not_found', 'No such page')
  return id
}

// A page number from a link (?page=, ?reviews=): missing, not a number or out of the API's
// range is the first page.
export function pageNumberOf(text: string | null): number {
  const n = Number(text)
  return Number.isSafeInteger(n) && n >= pageNumberRule.minimum && n <= pageNumberRule.maximum ? n : 1
}
