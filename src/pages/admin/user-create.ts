import { createAccount } from '../../auth/admin-users'
import { linkUrl, passwordResetPath } from '../../auth/secret-links'
import type { AppDeps } from '../../deps'
import { attempt } from '../attempt'
import type { PageContext } from '../context'
import { credentialsFormOf, usernameError } from '../account/credentials-form'
import { adminOrRefusal } from './guard'
import { renderUsersPage } from './users-page'

// A new account with a one-time link for its person to set a password (shown once).
export async function createUserFromPage(deps: AppDeps, ctx: PageContext, body: unknown) {
  const guard = adminOrRefusal(ctx)
  if ('refusal' in guard) return guard.refusal
  const { username } = credentialsFormOf(body)
  const failed = (error: string, status: number) =>
    renderUsersPage(deps, ctx, { q: '', pageNumber: 1, newUsername: username, errors: { username: error } }, status)
  const refusal = usernameError(username)
  if (refusal) return failed(refusal, 400)
  const created = await attempt(() => createAccount(deps.db, deps.admins, guard.admin.id, { username }))
  if (!created.ok) return failed(`error.${created.error.code}`, created.error.status)
  const token = created.value.link?.token ?? ''
  const url = linkUrl({ publicUrl: deps.config.publicUrl, requestUrl: ctx.url.href }, passwordResetPath, { token })
  return renderUsersPage(deps, ctx, { q: username, pageNumber: 1, notice: { kind: 'password', username, url } }, 201)
}
