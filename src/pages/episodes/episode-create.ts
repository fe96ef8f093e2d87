import { createEpisode, findSeasonRow, findTitleRow } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { assertCanModify } from '../../http/rights'
import { attempt } from '../attempt'
import { episodeErrorField, episodeFormOf, validateEpisodeForm } from './episode-form'
import { redirectTo, signedIn, type SignedInPage } from '../respond'
import { renderEpisodeForm } from './episode-form-page'

export const createEpisodeFromForm = signedIn(async (deps: AppDeps, page: SignedInPage, seasonId: number, body: unknown) => {
  const user = page.user
  const { season, ownerId } = await findSeasonRow(deps.db, seasonId)
  assertCanModify(user, ownerId, 'this title')
  const title = await findTitleRow(deps.db, season.titleId)
  const form = episodeFormOf(body)
  const view = { title, seasonId, episodeId: null, form }
  const checked = validateEpisodeForm(form)
  if (!checked.ok) return renderEpisodeForm(page, { ...view, errors: checked.errors, status: 400 })
  const created = await attempt(() => createEpisode(deps.db, user, seasonId, checked.input))
  if (!created.ok) {
    if (created.error.status === 403) throw created.error
    const errors = { [episodeErrorField(created.error.code)]: `error.${created.error.code}` }
    return renderEpisodeForm(page, { ...view, errors, status: created.error.status })
  }
  return redirectTo(page, `/episodes/${created.value.id}`)
})
