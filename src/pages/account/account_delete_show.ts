import type { AppDeps } from '../../deps'
import type { PageRequest } from '../context'
import { redirectToSignIn } from '../respond'
import { renderAccountDeletePage } from './account_delete_page'
import { countOwnedTitles } from '../../auth/account-deletion'

export async function showAccountDelete(deps: AppDeps, page: PageRequest) {
  if (!page.user) return redirectToSignIn(page)
  const ownedTitles = await countOwnedTitles(deps.db, page.user.id)
  return renderAccountDeletePage(page, { form: { password: '', titles: '' }, errors: {}, ownedTitles })
}
