import { deleteApiToken } from '../../auth/api-tokens'
import type { AppDeps } from '../../deps'
import { redirectTo, signedIn, type SignedInPage } from '../respond'

export const removeToken = signedIn(async (deps: AppDeps, page: SignedInPage, tokenId: number) => {
  await deleteApiToken(deps.db, page.user.id, tokenId)
  return redirectTo(page, '/account/tokens')
})
