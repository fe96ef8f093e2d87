import { findTitleRow } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { assertCanModify } from '../../http/rights'
import { getReview, updateReview } from '../../reviews/service'
import { reviewFormOf, validateReviewForm } from './review-form'
import { redirectTo, signedIn, type SignedInPage } from '../respond'
import { renderReviewForm } from './review-form-page'

// As in the API: a missing review is a 404, and anyone but the author or an admin gets the
// 403 page, before the form is read.
export const saveReview = signedIn(async (deps: AppDeps, ctx: SignedInPage, reviewId: number, body: unknown) => {
  const review = await getReview(deps.db, reviewId)
  assertCanModify(ctx.user, review.author.id, 'this review')
  const form = reviewFormOf(body)
  const checked = validateReviewForm(form)
  if (!checked.ok) {
    const title = await findTitleRow(deps.db, review.titleId)
    return renderReviewForm(ctx, { titleId: title.id, titleName: title.name, reviewId, form, errors: checked.errors, status: 400 })
  }
  const saved = await updateReview(deps.db, ctx.user, reviewId, checked.input)
  return redirectTo(ctx, `/titles/${saved.titleId}#review-${saved.id}`)
})
