import { updateSeason } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { attempt, formErrorsOf } from '../attempt'
import { seasonToModify } from '../modify'
import { redirectTo, signedIn, type SignedInPage } from '../respond'
import { seasonErrorField, seasonFormOf, validateSeasonForm } from './season-form'
import { renderSeasonForm } from './season-form-page'

export const saveSeason = signedIn(async (deps: AppDeps, page: SignedInPage, seasonId: number, body: unknown) => {
  const { title } = await seasonToModify(deps, page, seasonId)
  const view = { title, seasonId, form: seasonFormOf(body) }
  const checked = validateSeasonForm(view.form)
  if (!checked.ok) return renderSeasonForm(page, { ...view, errors: checked.errors, status: 400 })
  const saved = await attempt(() => updateSeason(deps.db, page.user, seasonId, checked.input))
  if (saved.ok) return redirectTo(page, `/titles/${title.id}#season-${seasonId}`)
  return renderSeasonForm(page, { ...view, errors: formErrorsOf(saved.error, seasonErrorField), status: saved.error.status })
})
