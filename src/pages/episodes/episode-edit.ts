import { findEpisodeRow, findTitleRow } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { assertCanModify } from '../../http/rights'
import { signedIn, type SignedInPage } from '../respond'
import { renderEpisodeForm } from './episode-form-page'

export const showEpisodeEdit = signedIn(async (deps: AppDeps, page: SignedInPage, episodeId: number) => {
  const { episode, titleId, ownerId } = await findEpisodeRow(deps.db, episodeId)
  assertCanModify(page.user, ownerId, 'this title')
  const title = await findTitleRow(deps.db, titleId)
  const form = { number: String(episode.number), name: episode.name, description: episode.description ?? '' }
  return renderEpisodeForm(page, { title, seasonId: episode.seasonId, episodeId, form, errors: {} })
})
