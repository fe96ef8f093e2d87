import { findEpisodeNeighbours, findSeasonRow, findTitleRow, getEpisode } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { canModify } from '../../http/rights'
import { getPlayerPreferences } from '../../watch/preferences'
import { findWatchPosition } from '../../watch/service'
import type { PageContext } from '../context'
import { VideoSection, videoScripts } from '../media/video-section'
import { renderFragment, renderPage } from '../respond'
import { EpisodePage, type EpisodeView, episodeVideoState } from './episode-page'

async function loadEpisodeView(deps: AppDeps, ctx: PageContext, id: number): Promise<EpisodeView> {
  const episode = await getEpisode(deps.db, id)
  const [title, { season }, neighbours, position, preferences] = await Promise.all([
    findTitleRow(deps.db, episode.titleId),
    findSeasonRow(deps.db, episode.seasonId),
    findEpisodeNeighbours(deps.db, episode.titleId, episode.id),
    ctx.user && episode.media ? findWatchPosition(deps.db, ctx.user.id, episode.media.id) : null,
    ctx.user && episode.media ? getPlayerPreferences(deps.db, ctx.user.id) : null,
  ])
  return { episode, title, season, neighbours, positionSec: position?.positionSec ?? null, preferences }
}

export async function showEpisode(deps: AppDeps, ctx: PageContext, id: number) {
  const view = await loadEpisodeView(deps, ctx, id)
  if (ctx.fragmentTarget === 'video') return renderFragment(<VideoSection ctx={ctx} state={episodeVideoState(view, ctx)} />)
  const heading = `${view.title.name}: ${ctx.t('episode.numbered', { number: view.episode.number, name: view.episode.name })}`
  const scripts = videoScripts(view.episode.media, canModify(ctx.user, view.title.ownerId))
  return renderPage(ctx, { title: heading, scripts }, <EpisodePage ctx={ctx} view={view} />)
}
