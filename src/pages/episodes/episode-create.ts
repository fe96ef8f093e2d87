import { createEpisode } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { attempt, formErrorsOf } from '../attempt'
import { seasonToModify } from '../modify'
import { redirectTo, signedIn, type SignedInPage } from '../respond'
import { episodeErrorField, episodeFormOf, validateEpisodeForm } from './episode-form'
import { renderEpisodeForm } from './episode-form-page'

export const createEpisodeFromForm = signedIn(async (deps: AppDeps, page: SignedInPage, seasonId: number, body: unknown) => {
  const { title } = await seasonToModify(deps, page, seasonId)
  const view = { title, seasonId, episodeId: null, form: episodeFormOf(body) }
  const checked = validateEpisodeForm(view.form)
  if (!checked.ok) return renderEpisodeForm(page, { ...view, errors: checked.errors, status: 400 })
  const created = await attempt(() => createEpisode(deps.db, page.user, seasonId, checked.input))
  if (created.ok) return redirectTo(page, `/episodes/${created.value.id}`)
  return renderEpisodeForm(page, { ...view, errors: formErrorsOf(created.error, episodeErrorField), status: created.error.status })
})
