import type { AppDeps } from '../../deps'
import { signedIn, type SignedInPage } from '../respond'
import { renderAccountDeletePage } from './account-delete-page'
import { countOwnedTitles } from '../../auth/account-deletion'

export const showAccountDelete = signedIn(async (deps: AppDeps, page: SignedInPage) => {
  const ownedTitles = await countOwnedTitles(deps.db, page.user.id)
  return renderAccountDeletePage(page, { form: { password: '', titles: '' }, errors: {}, ownedTitles })
})
