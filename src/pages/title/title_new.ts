import type { PageRequest } from '../context'
import { emptyTitleForm } from '../forms/title'
import { redirectToSignIn } from '../respond'
import { renderTitleForm } from './title_form_page'

export function showNewTitle(page: PageRequest) {
  if (!page.user) return redirectToSignIn(page)
  return renderTitleForm(page, { form: emptyTitleForm, errors: {}, titleId: null })
}
