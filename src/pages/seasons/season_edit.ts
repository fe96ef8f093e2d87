import { findSeasonRow, findTitleRow } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { assertCanModify } from '../../http/rights'
import type { PageRequest } from '../context'
import { redirectToSignIn } from '../respond'
import { renderSeasonForm } from './season_form_page'

export async function showSeasonEdit(deps: AppDeps, page: PageRequest, seasonId: number) {
  if (!page.user) return redirectToSignIn(page)
  const { season, ownerId } = await findSeasonRow(deps.db, seasonId)
  assertCanModify(page.user, ownerId, 'this title')
  const title = await findTitleRow(deps.db, season.titleId)
  const form = { number: String(season.number), name: season.name ?? '' }
  return renderSeasonForm(page, { title, seasonId, form, errors: {} })
}
