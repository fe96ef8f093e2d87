import { deleteInvite } from '../../auth/invites'
import type { AppDeps } from '../../deps'
import type { PageRequest } from '../context'
import { redirectTo } from '../respond'
import { adminOrRefusal } from './guard'

export async function removeInvite(deps: AppDeps, page: PageRequest, inviteId: number) {
  const guard = adminOrRefusal(page)
  if ('refusal' in guard) return guard.refusal
  await deleteInvite(deps.db, inviteId)
  return redirectTo(page, '/admin/users')
}
