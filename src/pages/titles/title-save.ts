import { findTitleRow, updateTitle } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { assertCanModify } from '../../http/rights'
import { attempt } from '../attempt'
import { titleErrorField, titleFormOf, validateTitleForm } from './title-form'
import { redirectTo, signedIn, type SignedInPage } from '../respond'
import { renderTitleForm } from './title-form-page'

// As in the API: a missing title is a 404 and someone else's a 403, before the form is read.
export const saveTitle = signedIn(async (deps: AppDeps, page: SignedInPage, id: number, body: unknown) => {
  const user = page.user
  const title = await findTitleRow(deps.db, id)
  assertCanModify(user, title.ownerId, 'this title')
  const form = titleFormOf(body)
  const checked = validateTitleForm(form)
  if (!checked.ok) return renderTitleForm(page, { form, errors: checked.errors, titleId: id, status: 400 })
  const saved = await attempt(() => updateTitle(deps.db, user, id, checked.input))
  if (!saved.ok) {
    if (saved.error.status === 403 || saved.error.status === 404) throw saved.error
    const errors = { [titleErrorField(saved.error.code)]: `error.${saved.error.code}` }
    return renderTitleForm(page, { form, errors, titleId: id, status: saved.error.status })
  }
  return redirectTo(page, `/titles/${id}`)
})
