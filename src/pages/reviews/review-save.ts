import { findTitleRow } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { getReview, updateReview } from '../../reviews/service'
import { reviewFormOf, validateReviewForm } from './review-form'
import { redirectTo, signedIn, type SignedInPage } from '../respond'
import { renderReviewForm } from './review-form-page'

// Rights are the service's to check: anyone but the author or an admin gets the 403 page.
export const saveReview = signedIn(async (deps: AppDeps, page: SignedInPage, reviewId: number, body: unknown) => {
  const form = reviewFormOf(body)
  const checked = validateReviewForm(form)
  if (!checked.ok) {
    const review = await getReview(deps.db, reviewId)
    const title = await findTitleRow(deps.db, review.titleId)
    return renderReviewForm(page, { titleId: title.id, titleName: title.name, reviewId, form, errors: checked.errors, status: 400 })
  }
  const saved = await updateReview(deps.db, page.user, reviewId, checked.input)
  return redirectTo(page, `/titles/${saved.titleId}#review-${saved.id}`)
})
