import { findTitleRow } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { assertCanModify } from '../../http/rights'
import { getReview } from '../../reviews/service'
import { signedIn, type SignedInPage } from '../respond'
import { renderReviewForm } from './review-form-page'

export const showReviewEdit = signedIn(async (deps: AppDeps, ctx: SignedInPage, reviewId: number) => {
  const review = await getReview(deps.db, reviewId)
  assertCanModify(ctx.user, review.author.id, 'this review')
  const title = await findTitleRow(deps.db, review.titleId)
  return renderReviewForm(ctx, {
    titleId: review.titleId,
    titleName: title.name,
    reviewId,
    form: { body: review.body, spoiler: review.spoiler },
    errors: {},
  })
})
