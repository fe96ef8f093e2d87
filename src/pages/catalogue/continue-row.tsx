// "Continue watching" on the home page of a signed-in user: the titles stopped in the
// middle, the most recent first, each with how far it got.
import type { ContinueItem } from '../../watch/model'
import type { PageContext } from '../context'
import { Poster } from '../ui/title-bits'

const hrefOf = (item: ContinueItem) => (item.episode ? `/episodes/${item.episode.id}` : `/titles/${item.titleId}`)

function ContinueCard({ ctx, item }: { ctx: PageContext; item: ContinueItem }) {
  const { t } = ctx
  const percent = item.durationSec ? Math.round((item.positionSec / item.durationSec) * 100) : 0
  const minutesLeft = item.durationSec ? Math.max(1, Math.round((item.durationSec - item.positionSec) / 60)) : null
  return (
    <li class="card continue-card">
      <a href={hrefOf(item)}>
        <Poster url={item.posterUrl} name={item.titleName} />
        <div class="meta">
          <h3>{item.titleName}</h3>
          {item.episode && (
            <span class="facts">{t('continue.episode', { season: item.episode.seasonNumber, number: item.episode.number })}</span>
          )}
          <progress max={100} value={percent} aria-label={t('continue.watched', { percent })} />
          {minutesLeft !== null && <span class="facts">{t('continue.minutes_left', { minutes: minutesLeft })}</span>}
        </div>
      </a>
    </li>
  )
}

export function ContinueRow({ ctx, items }: { ctx: PageContext; items: ContinueItem[] }) {
  if (items.length === 0) return null
  return (
    <section class="continue" aria-labelledby="continue-heading">
      <h2 id="continue-heading">{ctx.t('continue.heading')}</h2>
      <ul class="continue-row">
        {items.map(item => (
          <ContinueCard ctx={ctx} item={item} />
        ))}
      </ul>
    </section>
  )
}
