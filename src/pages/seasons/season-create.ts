import { createSeason } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { attempt, formErrorsOf } from '../attempt'
import { titleToModify } from '../modify'
import { redirectTo, signedIn, type SignedInPage } from '../respond'
import { seasonErrorField, seasonFormOf, validateSeasonForm } from './season-form'
import { renderSeasonForm } from './season-form-page'

export const createSeasonFromForm = signedIn(async (deps: AppDeps, ctx: SignedInPage, titleId: number, body: unknown) => {
  const title = await titleToModify(deps, ctx, titleId)
  const form = seasonFormOf(body)
  const checked = validateSeasonForm(form)
  if (!checked.ok) return renderSeasonForm(ctx, { title, seasonId: null, form, errors: checked.errors, status: 400 })
  const created = await attempt(() => createSeason(deps.db, ctx.user, titleId, checked.input))
  if (created.ok) return redirectTo(ctx, `/titles/${titleId}#season-${created.value.id}`)
  const errors = formErrorsOf(created.error, seasonErrorField)
  return renderSeasonForm(ctx, { title, seasonId: null, form, errors, status: created.error.status })
})
