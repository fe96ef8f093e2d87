import { deleteSeason, findSeasonRow } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { redirectTo, signedIn, type SignedInPage } from '../respond'

export const removeSeason = signedIn(async (deps: AppDeps, ctx: SignedInPage, seasonId: number) => {
  const { season } = await findSeasonRow(deps.db, seasonId)
  await deleteSeason(deps.store, ctx.user, seasonId)
  return redirectTo(ctx, `/titles/${season.titleId}#seasons`)
})
