import { createSeason } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { attempt, formErrorsOf } from '../attempt'
import { titleToModify } from '../modify'
import { redirectTo, signedIn, type SignedInPage } from '../respond'
import { seasonErrorField, seasonFormOf, validateSeasonForm } from './season-form'
import { renderSeasonForm } from './season-form-page'

export const createSeasonFromForm = signedIn(async (deps: AppDeps, page: SignedInPage, titleId: number, body: unknown) => {
  const title = await titleToModify(deps, page, titleId)
  const form = seasonFormOf(body)
  const checked = validateSeasonForm(form)
  if (!checked.ok) return renderSeasonForm(page, { title, seasonId: null, form, errors: checked.errors, status: 400 })
  const created = await attempt(() => createSeason(deps.db, page.user, titleId, checked.input))
  if (created.ok) return redirectTo(page, `/titles/${titleId}#season-${created.value.id}`)
  const errors = formErrorsOf(created.error, seasonErrorField)
  return renderSeasonForm(page, { title, seasonId: null, form, errors, status: created.error.status })
})
