import { listApiTokens } from '../../auth/api-tokens'
import type { AppDeps } from '../../deps'
import { signedIn, type SignedInPage } from '../respond'
import { renderTokensPage } from './tokens-page'

export const showTokens = signedIn(async (deps: AppDeps, page: SignedInPage) => {
  return renderTokensPage(page, { tokens: await listApiTokens(deps.db, page.user.id) })
})
