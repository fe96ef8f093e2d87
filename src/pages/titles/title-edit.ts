import { loadTitle } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { assertCanModify } from '../../http/rights'
import { titleFormFrom } from './title-form'
import { signedIn, type SignedInPage } from '../respond'
import { renderTitleForm } from './title-form-page'

export const showTitleEdit = signedIn(async (deps: AppDeps, ctx: SignedInPage, id: number) => {
  const title = await loadTitle(deps.db, id, ctx.user.id)
  assertCanModify(ctx.user, title.ownerId, 'this title')
  return renderTitleForm(ctx, { form: titleFormFrom(title), errors: {}, titleId: id })
})
