import { makePasswordLink } from '../../auth/admin-users'
import { linkUrl, passwordResetPath } from '../../auth/secret-links'
import type { AppDeps } from '../../deps'
import { attempt } from '../attempt'
import type { PageContext } from '../context'
import { adminOrRefusal } from './guard'
import { renderUsersPage } from './users-page'

// Answered with the page itself, not a redirect: the link exists only in this answer.
export async function makePasswordLinkFromPage(deps: AppDeps, ctx: PageContext, userId: number) {
  const guard = adminOrRefusal(ctx)
  if ('refusal' in guard) return guard.refusal
  const made = await attempt(() => makePasswordLink(deps.db, deps.admins, guard.admin.id, userId))
  if (!made.ok)
    return renderUsersPage(deps, ctx, { q: '', pageNumber: 1, errors: { form: `error.${made.error.code}` } }, made.error.status)
  const { user, link } = made.value
  const url = linkUrl({ publicUrl: deps.config.publicUrl, requestUrl: ctx.url.href }, passwordResetPath, { token: link.token })
  return renderUsersPage(deps, ctx, { q: '', pageNumber: 1, notice: { kind: 'password', username: user.username, url } }, 201)
}
