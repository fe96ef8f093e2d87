import { findAdminUser } from '../../auth/admin-users'
import { createPasswordReset } from '../../auth/password-resets'
import { linkUrl, passwordResetPath } from '../../auth/secret-links'
import type { AppDeps } from '../../deps'
import type { PageRequest } from '../context'
import { adminOrRefusal } from './guard'
import { renderUsersPage } from './users_page'

// Answered with the page itself, not a redirect: the link exists only in this answer.
export async function makePasswordLink(deps: AppDeps, page: PageRequest, userId: number) {
  const guard = adminOrRefusal(page)
  if ('refusal' in guard) return guard.refusal
  const user = await findAdminUser(deps.db, deps.admins, userId)
  const link = await createPasswordReset(deps.db, user.id, guard.admin.id)
  const url = linkUrl({ publicUrl: deps.config.publicUrl, requestUrl: page.url.href }, passwordResetPath, { token: link.token })
  return renderUsersPage(deps, page, { q: '', pageNumber: 1, notice: { kind: 'password', username: user.username, url } }, 201)
}
