import type { AppDeps } from '../../deps'
import { signedIn, type SignedInPage } from '../respond'
import { renderAccountDeletePage } from './account-delete-page'
import { countOwnedTitles } from '../../auth/account-deletion'

export const showAccountDelete = signedIn(async (deps: AppDeps, ctx: SignedInPage) => {
  const ownedTitles = await countOwnedTitles(deps.db, ctx.user.id)
  return renderAccountDeletePage(ctx, { form: { password: '', titles: '' }, errors: {}, ownedTitles })
})
