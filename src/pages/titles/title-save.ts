import { updateTitle } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { attempt, formErrorsOf } from '../attempt'
import { titleToModify } from '../modify'
import { redirectTo, signedIn, type SignedInPage } from '../respond'
import { titleErrorField, titleFormOf, validateTitleForm } from './title-form'
import { renderTitleForm } from './title-form-page'

export const saveTitle = signedIn(async (deps: AppDeps, ctx: SignedInPage, id: number, body: unknown) => {
  await titleToModify(deps, ctx, id)
  const view = { form: titleFormOf(body), titleId: id }
  const checked = validateTitleForm(view.form)
  if (!checked.ok) return renderTitleForm(ctx, { ...view, errors: checked.errors, status: 400 })
  const saved = await attempt(() => updateTitle(deps.db, ctx.user, id, checked.input))
  if (saved.ok) return redirectTo(ctx, `/titles/${id}`)
  return renderTitleForm(ctx, { ...view, errors: formErrorsOf(saved.error, titleErrorField), status: saved.error.status })
})
