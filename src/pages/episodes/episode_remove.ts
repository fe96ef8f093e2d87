import { deleteEpisode, findEpisodeRow } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import type { PageRequest } from '../context'
import { redirectTo, redirectToSignIn } from '../respond'

export async function removeEpisode(deps: AppDeps, page: PageRequest, episodeId: number) {
  if (!page.user) return redirectToSignIn(page)
  const { episode, titleId } = await findEpisodeRow(deps.db, episodeId)
  await deleteEpisode(deps.store, page.user, episodeId)
  return redirectTo(page, `/titles/${titleId}#season-${episode.seasonId}`)
}
