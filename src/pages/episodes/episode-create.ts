import { createEpisode } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { attempt, formErrorsOf } from '../attempt'
import { seasonToModify } from '../modify'
import { redirectTo, signedIn, type SignedInPage } from '../respond'
import { episodeErrorField, episodeFormOf, validateEpisodeForm } from './episode-form'
import { renderEpisodeForm } from './episode-form-page'

export const createEpisodeFromForm = signedIn(async (deps: AppDeps, ctx: SignedInPage, seasonId: number, body: unknown) => {
  const { title } = await seasonToModify(deps, ctx, seasonId)
  const view = { title, seasonId, episodeId: null, form: episodeFormOf(body) }
  const checked = validateEpisodeForm(view.form)
  if (!checked.ok) return renderEpisodeForm(ctx, { ...view, errors: checked.errors, status: 400 })
  const created = await attempt(() => createEpisode(deps.db, ctx.user, seasonId, checked.input))
  if (created.ok) return redirectTo(ctx, `/episodes/${created.value.id}`)
  return renderEpisodeForm(ctx, { ...view, errors: formErrorsOf(created.error, episodeErrorField), status: created.error.status })
})
