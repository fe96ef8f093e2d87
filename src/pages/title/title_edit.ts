import { loadTitle } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { assertCanModify } from '../../http/rights'
import type { PageRequest } from '../context'
import { titleFormFrom } from '../forms/title'
import { redirectToSignIn } from '../respond'
import { renderTitleForm } from './title_form_page'

export async function showTitleEdit(deps: AppDeps, page: PageRequest, id: number) {
  if (!page.user) return redirectToSignIn(page)
  const title = await loadTitle(deps.db, id, page.user.id)
  assertCanModify(page.user, title.ownerId, 'this title')
  return renderTitleForm(page, { form: titleFormFrom(title), errors: {}, titleId: id })
}
