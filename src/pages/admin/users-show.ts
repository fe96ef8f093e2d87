import type { AppDeps } from '../../deps'
import type { PageContext } from '../context'
import { adminOrRefusal } from './guard'
import { renderUsersPage } from './users-page'

export async function showUsers(deps: AppDeps, ctx: PageContext) {
  const guard = adminOrRefusal(ctx)
  if ('refusal' in guard) return guard.refusal
  const pageNumber = Number(ctx.url.searchParams.get('page'))
  const q = (ctx.url.searchParams.get('q') ?? '').trim().slice(0, 64)
  return renderUsersPage(deps, ctx, { q, pageNumber: Number.isSafeInteger(pageNumber) && pageNumber >= 1 ? pageNumber : 1 })
}
