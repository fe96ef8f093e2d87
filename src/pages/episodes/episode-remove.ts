import { deleteEpisode, findEpisodeRow } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { redirectTo, signedIn, type SignedInPage } from '../respond'

export const removeEpisode = signedIn(async (deps: AppDeps, ctx: SignedInPage, episodeId: number) => {
  const { episode, titleId } = await findEpisodeRow(deps.db, episodeId)
  await deleteEpisode(deps.store, ctx.user, episodeId)
  return redirectTo(ctx, `/titles/${titleId}#season-${episode.seasonId}`)
})
