import { findTitleRow, getSeason } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { assertCanModify } from '../../http/rights'
import { signedIn, type SignedInPage } from '../respond'
import { renderEpisodeForm } from './episode-form-page'

export const showNewEpisode = signedIn(async (deps: AppDeps, ctx: SignedInPage, seasonId: number) => {
  const season = await getSeason(deps.db, seasonId)
  const title = await findTitleRow(deps.db, season.titleId)
  assertCanModify(ctx.user, title.ownerId, 'this title')
  const next = Math.max(0, ...season.episodes.map(episode => episode.number)) + 1
  const form = { number: String(next), name: '', description: '' }
  return renderEpisodeForm(ctx, { title, seasonId, episodeId: null, form, errors: {} })
})
