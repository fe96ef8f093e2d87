import { findSeasonRow, findTitleRow } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { assertCanModify } from '../../http/rights'
import { signedIn, type SignedInPage } from '../respond'
import { renderSeasonForm } from './season-form-page'

export const showSeasonEdit = signedIn(async (deps: AppDeps, page: SignedInPage, seasonId: number) => {
  const { season, ownerId } = await findSeasonRow(deps.db, seasonId)
  assertCanModify(page.user, ownerId, 'this title')
  const title = await findTitleRow(deps.db, season.titleId)
  const form = { number: String(season.number), name: season.name ?? '' }
  return renderSeasonForm(page, { title, seasonId, form, errors: {} })
})
