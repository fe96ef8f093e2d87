import { deleteSeason, findSeasonRow } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import type { PageRequest } from '../context'
import { redirectTo, redirectToSignIn } from '../respond'

export async function removeSeason(deps: AppDeps, page: PageRequest, seasonId: number) {
  if (!page.user) return redirectToSignIn(page)
  const { season } = await findSeasonRow(deps.db, seasonId)
  await deleteSeason(deps.store, page.user, seasonId)
  return redirectTo(page, `/titles/${season.titleId}#seasons`)
}
