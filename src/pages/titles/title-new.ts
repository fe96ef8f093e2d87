import { emptyTitleForm } from './title-form'
import type { AppDeps } from '../../deps'
import { signedIn, type SignedInPage } from '../respond'
import { renderTitleForm } from './title-form-page'

export const showNewTitle = signedIn(async (_deps: AppDeps, page: SignedInPage) => {
  return renderTitleForm(page, { form: emptyTitleForm, errors: {}, titleId: null })
})
