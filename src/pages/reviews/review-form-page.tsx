// Writing or editing a review on a page of its own: where the form comes back with its
// errors (the title page has the short form for a first review).
import type { PageRequest } from '../context'
import type { ReviewForm } from './review-form'
import { renderPage } from '../respond'
import { CsrfField, FormActions, FormAlert, type FormView } from '../ui/form'
import { ReviewFields } from './review-fields'

export type ReviewFormView = FormView<ReviewForm> & { titleId: number; titleName: string; reviewId: number | null }

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
        <FormActions
          submit={view.reviewId === null ? t('review.publish') : t('review.save')}
          cancel={{ href: `/titles/${view.titleId}#reviews`, label: t('form.cancel') }}
        />
      </form>
    </section>
  )
}

export function renderReviewForm(page: PageRequest, view: ReviewFormView) {
  const title = view.reviewId === null ? page.t('review.write') : page.t('review.edit_heading')
  return renderPage(page, { title, status: view.status }, <ReviewFormPage page={page} view={view} />)
}
