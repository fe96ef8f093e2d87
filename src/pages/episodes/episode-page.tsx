// An episode: where it belongs (series, season), its description and its own player.
import type { Episode } from '../../catalogue/model'
import type { EpisodeLink, EpisodeNeighbours } from '../../catalogue/service'
import type { Translate } from '../../i18n'
import type { PlayerPreferences } from '../../watch/model'
import { canModify } from '../../http/rights'
import type { PageContext } from '../context'
import { type VideoState, VideoSection } from '../media/video-section'
import { seasonLabel } from '../titles/title-page'

export type EpisodeView = {
  episode: Episode
  title: { id: number; name: string; ownerId: number | null }
  season: { id: number; number: number; name: string | null }
  neighbours: EpisodeNeighbours
  positionSec: number | null
  preferences: PlayerPreferences | null
}

// "S1 E2. Name": where a link leads when it may cross into another season.
function episodeLabel(t: Translate, episode: EpisodeLink): string {
  return t('episode.in_season', { season: episode.seasonNumber, number: episode.number, name: episode.name })
}

export function episodeVideoState(view: EpisodeView, ctx: PageContext): VideoState {
  const { episode } = view
  const { next } = view.neighbours
  return {
    target: { kind: 'episode', id: episode.id },
    name: `${view.title.name}: ${ctx.t('episode.numbered', { number: episode.number, name: episode.name })}`,
    ownerId: view.title.ownerId,
    media: episode.media,
    positionSec: view.positionSec,
    preferences: view.preferences,
    next: next && { url: `/episodes/${next.id}`, name: episodeLabel(ctx.t, next) },
    pageUrl: `/episodes/${episode.id}`,
  }
}

function EpisodeNavigation({ ctx, neighbours }: { ctx: PageContext; neighbours: EpisodeNeighbours }) {
  const { t } = ctx
  const { previous, next } = neighbours
  if (!previous && !next) return null
  return (
    <nav class="episode-nav" aria-label={t('episode.neighbours')}>
      {previous && (
        <a href={`/episodes/${previous.id}`} rel="prev">
          ← {t('episode.previous')}: {episodeLabel(t, previous)}
        </a>
      )}
      {next && (
        <a href={`/episodes/${next.id}`} rel="next">
          {t('episode.next')}: {episodeLabel(t, next)} →
        </a>
      )}
    </nav>
  )
}

export function EpisodePage({ ctx, view }: { ctx: PageContext; view: EpisodeView }) {
  const { t } = ctx
  const { episode, title, season } = view
  return (
    <article class="episode">
      <nav aria-label={t('episode.breadcrumbs')} class="breadcrumbs">
        <a href={`/titles/${title.id}`}>{title.name}</a> › <a href={`/seasons/${season.id}`}>{seasonLabel(t, season)}</a>
      </nav>
      <h1>{t('episode.numbered', { number: episode.number, name: episode.name })}</h1>
      <VideoSection ctx={ctx} state={episodeVideoState(view, ctx)} />
      <EpisodeNavigation ctx={ctx} neighbours={view.neighbours} />
      {episode.description && (
        <p class="description" dir="auto">
          {episode.description}
        </p>
      )}
      {canModify(ctx.user, title.ownerId) && (
        <p class="owner-actions">
          <a class="button" href={`/episodes/${episode.id}/edit`}>
            {t('episode.edit')}
          </a>
        </p>
      )}
    </article>
  )
}
