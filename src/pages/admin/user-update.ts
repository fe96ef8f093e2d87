import { changeUser, type UserChange } from '../../auth/admin-users'
import type { AppDeps } from '../../deps'
import { attempt } from '../attempt'
import type { PageContext } from '../context'
import { redirectTo } from '../respond'
import { adminOrRefusal } from './guard'
import { renderUsersPage } from './users-page'

// The buttons of the users page: /admin/users/:id/{disable,enable,promote,demote}.
export const userChanges: Record<string, UserChange> = {
  disable: { disabled: true },
  enable: { disabled: false },
  promote: { isAdmin: true },
  demote: { isAdmin: false },
}

export async function updateUserFromPage(deps: AppDeps, ctx: PageContext, userId: number, change: UserChange) {
  const guard = adminOrRefusal(ctx)
  if ('refusal' in guard) return guard.refusal
  const changed = await attempt(() => changeUser(deps.db, deps.admins, guard.admin.id, userId, change))
  if (!changed.ok)
    return renderUsersPage(deps, ctx, { q: '', pageNumber: 1, errors: { form: `error.${changed.error.code}` } }, changed.error.status)
  return redirectTo(ctx, '/admin/users')
}
