import { createTitle } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { attempt } from '../attempt'
import type { PageRequest } from '../context'
import { titleErrorField, titleFormOf, validateTitleForm } from '../forms/title'
import { redirectTo, redirectToSignIn } from '../respond'
import { renderTitleForm } from './title_form_page'

export async function createTitleFromForm(deps: AppDeps, page: PageRequest, body: unknown) {
  if (!page.user) return redirectToSignIn(page)
  const user = page.user
  const form = titleFormOf(body)
  const checked = validateTitleForm(form)
  if (!checked.ok) return renderTitleForm(page, { form, errors: checked.errors, titleId: null, status: 400 })
  const created = await attempt(() => createTitle(deps.db, user, checked.input))
  if (!created.ok) {
    const errors = { [titleErrorField(created.error.code)]: `error.${created.error.code}` }
    return renderTitleForm(page, { form, errors, titleId: null, status: created.error.status })
  }
  return redirectTo(page, `/titles/${created.value.id}`)
}
