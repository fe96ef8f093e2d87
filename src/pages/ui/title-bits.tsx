// Small pieces every title appears with: poster, rating, one-line facts.
import type { Locale, Translate } from '../../i18n'
import { formatAverage } from './format'

type RatingSummary = { average: number | null; count: number }

export function Poster({ url, name, size }: { url: string | null; name: string; size?: 'large' }) {
  if (url) return <img class="poster" src={url} alt="" loading={size === 'large' ? 'eager' : 'lazy'} decoding="async" />
  // No video yet: the first letter stands in, hidden from screen readers like a decoration.
  return (
    <div class="poster placeholder" aria-hidden="true">
      {[...name.trim()][0]?.toLocaleUpperCase() ?? '?'}
    </div>
  )
}

export function RatingBadge({ t, locale, rating }: { t: Translate; locale: Locale; rating: RatingSummary }) {
  if (rating.average === null) return <span class="rating muted">{t('rating.none')}</span>
  return (
    <span class="rating">
      <span aria-hidden="true">★ </span>
      <span class="visually-hidden">{t('rating.average_label')} </span>
      {formatAverage(rating.average, locale)}
      <span class="count"> · {t('rating.count', { count: rating.count })}</span>
    </span>
  )
}

export function kindLabel(t: Translate, kind: 'movie' | 'series'): string {
  return kind === 'movie' ? t('title.kind_movie') : t('title.kind_series')
}

export function titleFacts(t: Translate, title: { kind: 'movie' | 'series'; year: number | null }): string {
  return [title.year, kindLabel(t, title.kind)].filter(part => part !== null).join(' · ')
}
