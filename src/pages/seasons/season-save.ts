import { findSeasonRow, findTitleRow, updateSeason } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { assertCanModify } from '../../http/rights'
import { attempt } from '../attempt'
import { seasonErrorField, seasonFormOf, validateSeasonForm } from './season-form'
import { redirectTo, signedIn, type SignedInPage } from '../respond'
import { renderSeasonForm } from './season-form-page'

export const saveSeason = signedIn(async (deps: AppDeps, page: SignedInPage, seasonId: number, body: unknown) => {
  const user = page.user
  const { season, ownerId } = await findSeasonRow(deps.db, seasonId)
  assertCanModify(user, ownerId, 'this title')
  const title = await findTitleRow(deps.db, season.titleId)
  const form = seasonFormOf(body)
  const checked = validateSeasonForm(form)
  if (!checked.ok) return renderSeasonForm(page, { title, seasonId, form, errors: checked.errors, status: 400 })
  const saved = await attempt(() => updateSeason(deps.db, user, seasonId, checked.input))
  if (!saved.ok) {
    if (saved.error.status === 403) throw saved.error
    const errors = { [seasonErrorField(saved.error.code)]: `error.${saved.error.code}` }
    return renderSeasonForm(page, { title, seasonId, form, errors, status: saved.error.status })
  }
  return redirectTo(page, `/titles/${title.id}#season-${seasonId}`)
})
