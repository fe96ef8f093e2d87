// Rate a title (scoreRule: 1–10), change or remove your score. A plain form; with htmx picking a
// score saves it at once and only this widget is swapped.
import { scoreRule } from '../../reviews/rules'
import type { PageContext } from '../context'
import { CsrfField } from '../ui/form'
import { RatingBadge } from '../ui/title-bits'

export type RatingState = { titleId: number; rating: { average: number | null; count: number }; myRating: number | null }

const scores = Array.from({ length: scoreRule.maximum - scoreRule.minimum + 1 }, (_, i) => scoreRule.minimum + i)

export function RatingWidget({ ctx, state }: { ctx: PageContext; state: RatingState }) {
  const { t, locale } = ctx
  const action = `/titles/${state.titleId}/rating`
  const swap = { 'hx-target': '#rating', 'hx-swap': 'outerHTML' }
  return (
    <section id="rating" class="rating-widget" aria-labelledby="rating-heading">
      <h2 id="rating-heading">{t('rating.heading')}</h2>
      <p>
        <RatingBadge t={t} locale={locale} rating={state.rating} />
      </p>
      {ctx.user ? (
        <form method="post" action={action} hx-post={action} hx-trigger="change, submit" {...swap}>
          <CsrfField ctx={ctx} />
          <fieldset>
            <legend>{state.myRating === null ? t('rating.yours_none') : t('rating.yours', { score: state.myRating })}</legend>
            <div class="score-scale">
              {scores.map(score => (
                <label>
                  <input type="radio" name="score" value={score} checked={score === state.myRating} required />
                  <span>{score}</span>
                </label>
              ))}
            </div>
          </fieldset>
          <div class="actions">
            <button type="submit">{t('rating.save')}</button>
            {state.myRating !== null && (
              <button type="submit" formaction={`${action}/delete`} hx-post={`${action}/delete`} {...swap}>
                {t('rating.remove')}
              </button>
            )}
          </div>
        </form>
      ) : (
        <p>
          <a href={`/login?${new URLSearchParams({ next: `/titles/${state.titleId}` })}`}>{t('rating.sign_in_to_rate')}</a>
        </p>
      )}
    </section>
  )
}
