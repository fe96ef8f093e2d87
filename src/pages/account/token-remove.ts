import { deleteApiToken } from '../../auth/api-tokens'
import type { AppDeps } from '../../deps'
import { redirectTo, signedIn, type SignedInPage } from '../respond'

export const removeToken = signedIn(async (deps: AppDeps, ctx: SignedInPage, tokenId: number) => {
  await deleteApiToken(deps.db, ctx.user.id, tokenId)
  return redirectTo(ctx, '/account/tokens')
})
