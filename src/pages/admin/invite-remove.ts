import { deleteInvite } from '../../auth/invites'
import type { AppDeps } from '../../deps'
import type { PageContext } from '../context'
import { redirectTo } from '../respond'
import { adminOrRefusal } from './guard'

export async function removeInvite(deps: AppDeps, ctx: PageContext, inviteId: number) {
  const guard = adminOrRefusal(ctx)
  if ('refusal' in guard) return guard.refusal
  await deleteInvite(deps.db, inviteId)
  return redirectTo(ctx, '/admin/users')
}
