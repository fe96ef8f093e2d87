import type { AppDeps } from '../../deps'
import { episodeToModify } from '../modify'
import { signedIn, type SignedInPage } from '../respond'
import { renderEpisodeForm } from './episode-form-page'

export const showEpisodeEdit = signedIn(async (deps: AppDeps, ctx: SignedInPage, episodeId: number) => {
  const { episode, title } = await episodeToModify(deps, ctx, episodeId)
  const form = { number: String(episode.number), name: episode.name, description: episode.description ?? '' }
  return renderEpisodeForm(ctx, { title, seasonId: episode.seasonId, episodeId, form, errors: {} })
})
