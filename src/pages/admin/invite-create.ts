import { createInvite } from '../../auth/invites'
import { invitePath, linkUrl } from '../../auth/secret-links'
import type { AppDeps } from '../../deps'
import type { PageContext } from '../context'
import { adminOrRefusal } from './guard'
import { renderUsersPage } from './users-page'

// Answered with the page itself: the invite link exists only in this answer.
export async function createInviteFromPage(deps: AppDeps, ctx: PageContext) {
  const guard = adminOrRefusal(ctx)
  if ('refusal' in guard) return guard.refusal
  const invite = await createInvite(deps.db, guard.admin.id)
  const url = linkUrl({ publicUrl: deps.config.publicUrl, requestUrl: ctx.url.href }, invitePath, { invite: invite.token })
  return renderUsersPage(deps, ctx, { q: '', pageNumber: 1, notice: { kind: 'invite', url } }, 201)
}
