import { createApiToken, listApiTokens } from '../../auth/api-tokens'
import { tokenNameRule } from '../../auth/rules'
import type { AppDeps } from '../../deps'
import { signedIn, type SignedInPage } from '../respond'
import { fieldText } from '../ui/form'
import { renderTokensPage } from './tokens-page'

// Answered with the page itself, not a redirect: the secret exists only in this answer.
export const createToken = signedIn(async (deps: AppDeps, ctx: SignedInPage, body: unknown) => {
  const name = fieldText(body, 'name').trim()
  if (name === '' || name.length > tokenNameRule.maxLength) {
    const tokens = await listApiTokens(deps.db, ctx.user.id)
    return renderTokensPage(ctx, { tokens, name, errors: { name: name === '' ? 'form.required' : 'form.too_long' } }, 400)
  }
  const created = await createApiToken(deps.db, ctx.user.id, name)
  const tokens = await listApiTokens(deps.db, ctx.user.id)
  return renderTokensPage(ctx, { tokens, created }, 201)
})
