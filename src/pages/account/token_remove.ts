import { deleteApiToken } from '../../auth/api-tokens'
import type { AppDeps } from '../../deps'
import type { PageRequest } from '../context'
import { redirectTo, redirectToSignIn } from '../respond'

export async function removeToken(deps: AppDeps, page: PageRequest, tokenId: number) {
  if (!page.user) return redirectToSignIn(page)
  await deleteApiToken(deps.db, page.user.id, tokenId)
  return redirectTo(page, '/account/tokens')
}
