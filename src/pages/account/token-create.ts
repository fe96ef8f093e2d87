import { createApiToken, listApiTokens } from '../../auth/api-tokens'
import { tokenNameRule } from '../../auth/rules'
import type { AppDeps } from '../../deps'
import { signedIn, type SignedInPage } from '../respond'
import { fieldText } from '../ui/form'
import { renderTokensPage } from './tokens-page'

// Answered with the page itself, not a redirect: the secret exists only in this answer.
export const createToken = signedIn(async (deps: AppDeps, page: SignedInPage, body: unknown) => {
  const name = fieldText(body, 'name').trim()
  if (name === '' || name.length > tokenNameRule.maxLength) {
    const tokens = await listApiTokens(deps.db, page.user.id)
    return renderTokensPage(page, { tokens, name, errors: { name: name === '' ? 'form.required' : 'form.too_long' } }, 400)
  }
  const created = await createApiToken(deps.db, page.user.id, name)
  const tokens = await listApiTokens(deps.db, page.user.id)
  return renderTokensPage(page, { tokens, created }, 201)
})
