import { findTitleRow } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { createReview } from '../../reviews/service'
import { attempt } from '../attempt'
import { reviewFormOf, validateReviewForm } from './review-form'
import { redirectTo, signedIn, type SignedInPage } from '../respond'
import { renderReviewForm } from './review-form-page'

export const createReviewFromForm = signedIn(async (deps: AppDeps, ctx: SignedInPage, titleId: number, body: unknown) => {
  const user = ctx.user
  const title = await findTitleRow(deps.db, titleId)
  const form = reviewFormOf(body)
  const view = { titleId, titleName: title.name, reviewId: null, form }
  const checked = validateReviewForm(form)
  if (!checked.ok) return renderReviewForm(ctx, { ...view, errors: checked.errors, status: 400 })
  const created = await attempt(() => createReview(deps.db, user, titleId, checked.input))
  if (!created.ok)
    return renderReviewForm(ctx, { ...view, errors: { form: `error.${created.error.code}` }, status: created.error.status })
  return redirectTo(ctx, `/titles/${titleId}#review-${created.value.id}`)
})
