// Writing or editing a review on a page of its own: where the form comes back with its
// errors (the title page has the short form for a first review).
import type { PageContext } from '../context'
import type { ReviewForm } from './review-form'
import type { FormView } from '../ui/form'
import { renderFormPage } from '../ui/form-page'
import { ReviewFields } from './review-fields'

export type ReviewFormView = FormView<ReviewForm> & { titleId: number; titleName: string; reviewId: number | null }

export function renderReviewForm(ctx: PageContext, view: ReviewFormView) {
  const { t } = ctx
  const titleHref = `/titles/${view.titleId}`
  const frame =
    view.reviewId === null
      ? { heading: t('review.write'), action: `${titleHref}/reviews`, submit: t('review.publish') }
      : { heading: t('review.edit_heading'), action: `/reviews/${view.reviewId}`, submit: t('review.save') }
  const fields = <ReviewFields t={t} form={view.form} errors={view.errors} />
  return renderFormPage(
    ctx,
    { ...frame, parent: { href: titleHref, label: view.titleName }, cancel: `${titleHref}#reviews` },
    view,
    fields,
  )
}
