import { deleteSeason, findSeasonRow } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { redirectTo, signedIn, type SignedInPage } from '../respond'

export const removeSeason = signedIn(async (deps: AppDeps, page: SignedInPage, seasonId: number) => {
  const { season } = await findSeasonRow(deps.db, seasonId)
  await deleteSeason(deps.store, page.user, seasonId)
  return redirectTo(page, `/titles/${season.titleId}#seasons`)
})
