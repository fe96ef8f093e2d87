import { listApiTokens } from '../../auth/api-tokens'
import type { AppDeps } from '../../deps'
import type { PageRequest } from '../context'
import { redirectToSignIn } from '../respond'
import { renderTokensPage } from './tokens_page'

export async function showTokens(deps: AppDeps, page: PageRequest) {
  if (!page.user) return redirectToSignIn(page)
  return renderTokensPage(page, { tokens: await listApiTokens(deps.db, page.user.id) })
}
