import { createTitle } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { attempt } from '../attempt'
import { titleErrorField, titleFormOf, validateTitleForm } from './title-form'
import { redirectTo, signedIn, type SignedInPage } from '../respond'
import { renderTitleForm } from './title-form-page'

export const createTitleFromForm = signedIn(async (deps: AppDeps, ctx: SignedInPage, body: unknown) => {
  const user = ctx.user
  const form = titleFormOf(body)
  const checked = validateTitleForm(form)
  if (!checked.ok) return renderTitleForm(ctx, { form, errors: checked.errors, titleId: null, status: 400 })
  const created = await attempt(() => createTitle(deps.db, user, checked.input))
  if (!created.ok) {
    const errors = { [titleErrorField(created.error.code)]: `error.${created.error.code}` }
    return renderTitleForm(ctx, { form, errors, titleId: null, status: created.error.status })
  }
  return redirectTo(ctx, `/titles/${created.value.id}`)
})
