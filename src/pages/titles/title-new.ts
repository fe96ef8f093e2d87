import { emptyTitleForm } from './title-form'
import type { AppDeps } from '../../deps'
import { signedIn, type SignedInPage } from '../respond'
import { renderTitleForm } from './title-form-page'

export const showNewTitle = signedIn(async (_deps: AppDeps, ctx: SignedInPage) => {
  return renderTitleForm(ctx, { form: emptyTitleForm, errors: {}, titleId: null })
})
