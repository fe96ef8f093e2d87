// A title: details, rating, its video (movie) or seasons and episodes (series), reviews.
// Fragments (by HX-Target): #rating, #reviews and #video.
import type { TitleDetailJson } from '../../catalogue/model'
import { canModify } from '../../http/rights'
import type { Translate } from '../../i18n'
import type { PlayerPreferences } from '../../watch/model'
import type { PageContext } from '../context'
import { catalogueHref } from '../catalogue/catalogue-query'
import { type VideoState, VideoSection } from '../media/video-section'
import { DangerZone } from '../ui/form'
import { Poster, titleFacts } from '../ui/title-bits'
import { RatingWidget } from './rating-widget'
import { type ReviewsState, ReviewsSection } from './reviews-section'

export type TitleView = {
  title: TitleDetailJson
  reviews: ReviewsState
  positionSec: number | null
  preferences: PlayerPreferences | null
}

type Season = TitleDetailJson['seasons'][number]
type Episode = Season['episodes'][number]

export function seasonLabel(t: Translate, season: { number: number; name: string | null }): string {
  const base = season.number === 0 ? t('season.specials') : t('season.numbered', { number: season.number })
  return season.name ? `${base}: ${season.name}` : base
}

export function videoStateOf(view: TitleView): VideoState {
  const { title } = view
  return {
    target: { kind: 'title', id: title.id },
    name: title.name,
    ownerId: title.ownerId,
    media: title.media,
    positionSec: view.positionSec,
    preferences: view.preferences,
    pageUrl: `/titles/${title.id}`,
  }
}

function OwnerActions({ ctx, title }: { ctx: PageContext; title: TitleDetailJson }) {
  const { t } = ctx
  return (
    <div class="owner-actions">
      <a class="button" href={`/titles/${title.id}/edit`}>
        {t('title.edit')}
      </a>
      <DangerZone
        ctx={ctx}
        action={`/titles/${title.id}/delete`}
        summary={t('title.delete')}
        warning={t('title.delete_warning')}
        confirm={t('title.delete_confirm', { name: title.name })}
      />
    </div>
  )
}

function TitleHead({ ctx, title }: { ctx: PageContext; title: TitleDetailJson }) {
  const { t } = ctx
  return (
    <div class="title-head">
      <Poster url={title.posterUrl} name={title.name} size="large" />
      <div>
        <p class="facts">{titleFacts(t, title)}</p>
        {title.genres.length > 0 && (
          <ul class="genres" aria-label={t('title.genres')}>
            {title.genres.map(genre => (
              <li>
                <a href={catalogueHref({ q: '', kind: '', genre, year: null, sort: '', page: 1 })}>{genre}</a>
              </li>
            ))}
          </ul>
        )}
        {title.description && (
          <p class="description" dir="auto">
            {title.description}
          </p>
        )}
        {canModify(ctx.user, title.ownerId) && <OwnerActions ctx={ctx} title={title} />}
      </div>
    </div>
  )
}

// A season's episodes, or a line saying it has none (the title page and the season page).
export function EpisodeList({ ctx, episodes }: { ctx: PageContext; episodes: Episode[] }) {
  if (episodes.length === 0) return <p>{ctx.t('episode.none')}</p>
  return (
    <ol class="episodes">
      {episodes.map(episode => (
        <EpisodeItem ctx={ctx} episode={episode} />
      ))}
    </ol>
  )
}

function EpisodeItem({ ctx, episode }: { ctx: PageContext; episode: Episode }) {
  const { t } = ctx
  const media = episode.media
  const note = !media
    ? t('media.none_short')
    : media.status === 'ready'
      ? null
      : media.status === 'failed'
        ? t('media.failed')
        : t('media.processing_short')
  return (
    <li>
      <a href={`/episodes/${episode.id}`}>{t('episode.numbered', { number: episode.number, name: episode.name })}</a>
      {note && <span class="muted"> · {note}</span>}
    </li>
  )
}

function SeasonsSection({ ctx, title }: { ctx: PageContext; title: TitleDetailJson }) {
  const { t } = ctx
  const canManage = canModify(ctx.user, title.ownerId)
  return (
    <section id="seasons" aria-labelledby="seasons-heading">
      <h2 id="seasons-heading">{t('season.heading')}</h2>
      {title.seasons.length === 0 && <p>{t('season.none')}</p>}
      <div class="seasons">
        {title.seasons.map(season => (
          <section class="season" aria-labelledby={`season-${season.id}`}>
            <h3 id={`season-${season.id}`}>
              <a href={`/seasons/${season.id}`}>{seasonLabel(t, season)}</a>
            </h3>
            <EpisodeList ctx={ctx} episodes={season.episodes} />
            {canManage && (
              <div class="actions">
                <a class="button" href={`/seasons/${season.id}/episodes/new`}>
                  {t('episode.add')}
                </a>
                <a class="button" href={`/seasons/${season.id}/edit`}>
                  {t('season.edit')}
                </a>
              </div>
            )}
          </section>
        ))}
      </div>
      {canManage && (
        <p>
          <a class="button primary" href={`/titles/${title.id}/seasons/new`}>
            {t('season.add')}
          </a>
        </p>
      )}
    </section>
  )
}

export function TitlePage({ ctx, view }: { ctx: PageContext; view: TitleView }) {
  const { title } = view
  return (
    <article class="title">
      <h1>{title.name}</h1>
      {title.originalName && title.originalName !== title.name && <p class="subtitle">{title.originalName}</p>}
      {/* A movie's player comes first: at 1366×900 its controls are on screen without scrolling. */}
      {title.kind === 'movie' && <VideoSection ctx={ctx} state={videoStateOf(view)} />}
      <TitleHead ctx={ctx} title={title} />
      <RatingWidget ctx={ctx} state={{ titleId: title.id, rating: title.rating, myRating: title.myRating }} />
      {title.kind === 'series' && <SeasonsSection ctx={ctx} title={title} />}
      <ReviewsSection ctx={ctx} state={view.reviews} />
    </article>
  )
}

// The part htmx asked for; the whole page when the target is not one of ours.
export function titleFragment(ctx: PageContext, view: TitleView) {
  const { title } = view
  switch (ctx.fragmentTarget) {
    case 'rating':
      return <RatingWidget ctx={ctx} state={{ titleId: title.id, rating: title.rating, myRating: title.myRating }} />
    case 'reviews':
      return <ReviewsSection ctx={ctx} state={view.reviews} />
    case 'video':
      return <VideoSection ctx={ctx} state={videoStateOf(view)} />
    default:
      return null
  }
}
