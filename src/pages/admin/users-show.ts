import type { AppDeps } from '../../deps'
import type { PageRequest } from '../context'
import { adminOrRefusal } from './guard'
import { renderUsersPage } from './users-page'

export async function showUsers(deps: AppDeps, page: PageRequest) {
  const guard = adminOrRefusal(page)
  if ('refusal' in guard) return guard.refusal
  const pageNumber = Number(page.url.searchParams.get('page'))
  const q = (page.url.searchParams.get('q') ?? '').trim().slice(0, 64)
  return renderUsersPage(deps, page, { q, pageNumber: Number.isSafeInteger(pageNumber) && pageNumber >= 1 ? pageNumber : 1 })
}
