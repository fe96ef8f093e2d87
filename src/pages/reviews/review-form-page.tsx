// Writing or editing a review on a page of its own: where the form comes back with its
// errors (the title page has the short form for a first review).
import type { PageRequest } from '../context'
import type { ReviewForm } from './review-form'
import { renderPage } from '../respond'
import { CsrfField, type FormErrors, FormAlert } from '../ui/form'
import { ReviewFields } from './review-fields'

export type ReviewFormView = {
  titleId: number
  titleName: string
  reviewId: number | null
  form: ReviewForm
  errors: FormErrors
  status?: number
}

function ReviewFormPage({ page, view }: { page: PageRequest; view: ReviewFormView }) {
  const { t } = page
  const action = view.reviewId === null ? `/titles/${view.titleId}/reviews` : `/reviews/${view.reviewId}`
  return (
    <section class="narrow">
      <h1>{view.reviewId === null ? t('review.write') : t('review.edit_heading')}</h1>
      <p>
        <a href={`/titles/${view.titleId}`}>{view.titleName}</a>
      </p>
      <form method="post" action={action} class="stack" novalidate>
        <CsrfField page={page} />
        <FormAlert t={t} errors={view.errors} />
        <ReviewFields t={t} form={view.form} errors={view.errors} />
        <div class="actions">
          <button type="submit" class="primary">
            {view.reviewId === null ? t('review.publish') : t('review.save')}
          </button>
          <a href={`/titles/${view.titleId}#reviews`}>{t('form.cancel')}</a>
        </div>
      </form>
    </section>
  )
}

export function renderReviewForm(page: PageRequest, view: ReviewFormView) {
  const title = view.reviewId === null ? page.t('review.write') : page.t('review.edit_heading')
  return renderPage(page, { title, status: view.status }, <ReviewFormPage page={page} view={view} />)
}
