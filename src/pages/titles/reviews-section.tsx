// Reviews of a title, newest first. Bodies are plain text, rendered as text (escaped);
// spoilers stay folded in <details> until the reader opens them (no JavaScript needed).
import { canModify } from '../../http/rights'
import type { Review } from '../../reviews/model'
import type { PageContext } from '../context'
import { ReviewFields } from '../reviews/review-fields'
import { CsrfField, PostButton } from '../ui/form'
import { formatDateTime } from '../ui/format'
import { Pagination } from '../ui/pagination'

export type ReviewsState = {
  titleId: number
  items: Review[]
  page: number
  perPage: number
  total: number
  myReview: Review | null
}

export function reviewsHref(titleId: number, n: number): string {
  return n > 1 ? `/titles/${titleId}?reviews=${n}#reviews` : `/titles/${titleId}#reviews`
}

function ReviewItem({ ctx, review }: { ctx: PageContext; review: Review }) {
  const { t, locale } = ctx
  // Free text keeps its bidi controls (a quote in Hebrew or Arabic may need them); dir="auto"
  // makes the paragraph an isolate, so an unclosed U+202E reorders only this text, never
  // the author, date or buttons around it.
  const body = (
    <p class="review-body" dir="auto">
      {review.body}
    </p>
  )
  return (
    <li class="review" id={`review-${review.id}`}>
      <header>
        <strong>{review.author.username}</strong>
        {review.score !== null && <span>{t('review.author_score', { score: review.score })}</span>}
        <time datetime={review.createdAt}>{formatDateTime(review.createdAt, locale)}</time>
        {review.updatedAt !== review.createdAt && <span>{t('review.edited')}</span>}
      </header>
      {review.spoiler ? (
        <details>
          <summary>{t('review.spoiler_show')}</summary>
          {body}
        </details>
      ) : (
        body
      )}
      {canModify(ctx.user, review.author.id) && (
        <div class="actions">
          <a class="button" href={`/reviews/${review.id}/edit`}>
            {t('review.edit')}
          </a>
          <PostButton ctx={ctx} action={`/reviews/${review.id}/delete`} label={t('review.delete')} buttonClass="danger" />
        </div>
      )}
    </li>
  )
}

function WriteReview({ ctx, state }: { ctx: PageContext; state: ReviewsState }) {
  const { t } = ctx
  if (!ctx.user)
    return (
      <p>
        <a href={`/login?${new URLSearchParams({ next: `/titles/${state.titleId}` })}`}>{t('review.sign_in_to_write')}</a>
      </p>
    )
  if (state.myReview)
    return (
      <p>
        <a href={`#review-${state.myReview.id}`}>{t('review.yours_below')}</a>
      </p>
    )
  return (
    <details class="write-review">
      <summary>{t('review.write')}</summary>
      <form method="post" action={`/titles/${state.titleId}/reviews`} class="stack">
        <CsrfField ctx={ctx} />
        <ReviewFields t={t} form={{ body: '', spoiler: false }} errors={{}} />
        <button type="submit" class="primary">
          {t('review.publish')}
        </button>
      </form>
    </details>
  )
}

export function ReviewsSection({ ctx, state }: { ctx: PageContext; state: ReviewsState }) {
  const { t } = ctx
  const heading = t('review.heading', { count: state.total })
  return (
    <section id="reviews" aria-labelledby="reviews-heading">
      <h2 id="reviews-heading">{heading}</h2>
      <WriteReview ctx={ctx} state={state} />
      {state.total === 0 ? (
        <p>{t('review.none')}</p>
      ) : (
        <ul class="reviews">
          {state.items.map(review => (
            <ReviewItem ctx={ctx} review={review} />
          ))}
        </ul>
      )}
      <Pagination
        t={t}
        page={state.page}
        perPage={state.perPage}
        total={state.total}
        hrefFor={n => reviewsHref(state.titleId, n)}
        target="#reviews"
      />
    </section>
  )
}
