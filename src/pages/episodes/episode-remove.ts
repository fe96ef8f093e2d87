import { deleteEpisode, findEpisodeRow } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { redirectTo, signedIn, type SignedInPage } from '../respond'

export const removeEpisode = signedIn(async (deps: AppDeps, page: SignedInPage, episodeId: number) => {
  const { episode, titleId } = await findEpisodeRow(deps.db, episodeId)
  await deleteEpisode(deps.store, page.user, episodeId)
  return redirectTo(page, `/titles/${titleId}#season-${episode.seasonId}`)
})
