import { createSeason, findTitleRow } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { assertCanModify } from '../../http/rights'
import { attempt } from '../attempt'
import { seasonErrorField, seasonFormOf, validateSeasonForm } from './season-form'
import { redirectTo, signedIn, type SignedInPage } from '../respond'
import { renderSeasonForm } from './season-form-page'

export const createSeasonFromForm = signedIn(async (deps: AppDeps, page: SignedInPage, titleId: number, body: unknown) => {
  const user = page.user
  const title = await findTitleRow(deps.db, titleId)
  assertCanModify(user, title.ownerId, 'this title')
  const form = seasonFormOf(body)
  const checked = validateSeasonForm(form)
  if (!checked.ok) return renderSeasonForm(page, { title, seasonId: null, form, errors: checked.errors, status: 400 })
  const created = await attempt(() => createSeason(deps.db, user, titleId, checked.input))
  if (!created.ok) {
    if (created.error.status === 403) throw created.error
    const errors = { [seasonErrorField(created.error.code)]: `error.${created.error.code}` }
    return renderSeasonForm(page, { title, seasonId: null, form, errors, status: created.error.status })
  }
  return redirectTo(page, `/titles/${titleId}#season-${created.value.id}`)
})
