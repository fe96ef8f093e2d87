// An episode: where it belongs (series, season), its description and its own player.
import type { Episode } from '../../catalogue/model'
import { canModify } from '../../http/rights'
import type { PageContext } from '../context'
import { type VideoState, VideoSection } from '../media/video-section'
import { seasonLabel } from '../titles/title-page'

export type EpisodeView = {
  episode: Episode
  title: { id: number; name: string; ownerId: number | null }
  season: { id: number; number: number; name: string | null }
  positionSec: number | null
}

export function episodeVideoState(view: EpisodeView, ctx: PageContext): VideoState {
  const { episode } = view
  return {
    target: { kind: 'episode', id: episode.id },
    name: `${view.title.name}: ${ctx.t('episode.numbered', { number: episode.number, name: episode.name })}`,
    ownerId: view.title.ownerId,
    media: episode.media,
    positionSec: view.positionSec,
    pageUrl: `/episodes/${episode.id}`,
  }
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
      <VideoSection ctx={ctx} state={episodeVideoState(view, ctx)} />
    </article>
  )
}
