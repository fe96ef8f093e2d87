import { notFound } from '../http/errors'

// An id in a page URL; anything that is not one is simply a page that does not exist.
export function pageId(raw: string): number {
  const id = /^[1-9]\d{0,14}$/.test(raw) ? Number(raw) : Number.NaN
  if (!Number.isSafeInteger(id)) throw notFound('not_found', 'No such page')
  return id
}
