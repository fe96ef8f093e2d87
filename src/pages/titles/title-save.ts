import { updateTitle } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { attempt } from '../attempt'
import { titleErrorField, titleFormOf, validateTitleForm } from './title-form'
import { redirectTo, signedIn, type SignedInPage } from '../respond'
import { renderTitleForm } from './title-form-page'

// Rights are checked by the service (a 403 page for anyone but the owner or an admin).
export const saveTitle = signedIn(async (deps: AppDeps, page: SignedInPage, id: number, body: unknown) => {
  const user = page.user
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
