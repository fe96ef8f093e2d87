import { getTitle } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { assertCanModify } from '../../http/rights'
import { signedIn, type SignedInPage } from '../respond'
import { renderSeasonForm } from './season-form-page'

export const showNewSeason = signedIn(async (deps: AppDeps, ctx: SignedInPage, titleId: number) => {
  const title = await getTitle(deps.db, titleId, ctx.user.id)
  assertCanModify(ctx.user, title.ownerId, 'this title')
  const next = Math.max(0, ...title.seasons.map(season => season.number)) + 1
  return renderSeasonForm(ctx, { title, seasonId: null, form: { number: String(next), name: '' }, errors: {} })
})
