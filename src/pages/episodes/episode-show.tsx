import { findSeasonRow, findTitleRow, getEpisode } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { canModify } from '../../http/rights'
import { findWatchPosition } from '../../watch/service'
import type { PageRequest } from '../context'
import { VideoSection, videoScripts } from '../media/video-section'
import { renderFragment, renderPage } from '../respond'
import { EpisodePage, type EpisodeView, episodeVideoState } from './episode-page'

async function loadEpisodeView(deps: AppDeps, page: PageRequest, id: number): Promise<EpisodeView> {
  const episode = await getEpisode(deps.db, id)
  const [title, { season }, position] = await Promise.all([
    findTitleRow(deps.db, episode.titleId),
    findSeasonRow(deps.db, episode.seasonId),
    page.user && episode.media ? findWatchPosition(deps.db, page.user.id, episode.media.id) : null,
  ])
  return { episode, title, season, positionSec: position?.positionSec ?? null }
}

export async function showEpisode(deps: AppDeps, page: PageRequest, id: number) {
  const view = await loadEpisodeView(deps, page, id)
  if (page.fragmentTarget === 'video') return renderFragment(<VideoSection page={page} state={episodeVideoState(view, page)} />)
  const heading = `${view.title.name}: ${page.t('episode.numbered', { number: view.episode.number, name: view.episode.name })}`
  const scripts = videoScripts(view.episode.media, canModify(page.user, view.title.ownerId))
  return renderPage(page, { title: heading, scripts }, <EpisodePage page={page} view={view} />)
}
