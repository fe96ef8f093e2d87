import { userSearchRule } from '../../auth/rules'
import { pageNumberOf } from '../ids'
import type { AppDeps } from '../../deps'
import type { PageContext } from '../context'
import { adminOrRefusal } from './guard'
import { renderUsersPage } from './users-page'

export async function showUsers(deps: AppDeps, ctx: PageContext) {
  const guard = adminOrRefusal(ctx)
  if ('refusal' in guard) return guard.refusal
  const q = (ctx.url.searchParams.get('q') ?? '').trim().slice(0, userSearchRule.maxLength)
  return renderUsersPage(deps, ctx, { q, pageNumber: pageNumberOf(ctx.url.searchParams.get('page')) })
}
