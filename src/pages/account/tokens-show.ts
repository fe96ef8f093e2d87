import { listApiTokens } from '../../auth/api-tokens'
import type { AppDeps } from '../../deps'
import { signedIn, type SignedInPage } from '../respond'
import { renderTokensPage } from './tokens-page'

export const showTokens = signedIn(async (deps: AppDeps, ctx: SignedInPage) => {
  return renderTokensPage(ctx, { tokens: await listApiTokens(deps.db, ctx.user.id) })
})
