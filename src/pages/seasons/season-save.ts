import { updateSeason } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { attempt, formErrorsOf } from '../attempt'
import { seasonToModify } from '../modify'
import { redirectTo, signedIn, type SignedInPage } from '../respond'
import { seasonErrorField, seasonFormOf, validateSeasonForm } from './season-form'
import { renderSeasonForm } from './season-form-page'

export const saveSeason = signedIn(async (deps: AppDeps, ctx: SignedInPage, seasonId: number, body: unknown) => {
  const { title } = await seasonToModify(deps, ctx, seasonId)
  const view = { title, seasonId, form: seasonFormOf(body) }
  const checked = validateSeasonForm(view.form)
  if (!checked.ok) return renderSeasonForm(ctx, { ...view, errors: checked.errors, status: 400 })
  const saved = await attempt(() => updateSeason(deps.db, ctx.user, seasonId, checked.input))
  if (saved.ok) return redirectTo(ctx, `/titles/${title.id}#season-${seasonId}`)
  return renderSeasonForm(ctx, { ...view, errors: formErrorsOf(saved.error, seasonErrorField), status: saved.error.status })
})
