import { updateEpisode } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { attempt, formErrorsOf } from '../attempt'
import { episodeToModify } from '../modify'
import { redirectTo, signedIn, type SignedInPage } from '../respond'
import { episodeErrorField, episodeFormOf, validateEpisodeForm } from './episode-form'
import { renderEpisodeForm } from './episode-form-page'

export const saveEpisode = signedIn(async (deps: AppDeps, ctx: SignedInPage, episodeId: number, body: unknown) => {
  const { episode, title } = await episodeToModify(deps, ctx, episodeId)
  const view = { title, seasonId: episode.seasonId, episodeId, form: episodeFormOf(body) }
  const checked = validateEpisodeForm(view.form)
  if (!checked.ok) return renderEpisodeForm(ctx, { ...view, errors: checked.errors, status: 400 })
  const saved = await attempt(() => updateEpisode(deps.db, ctx.user, episodeId, checked.input))
  if (saved.ok) return redirectTo(ctx, `/episodes/${episodeId}`)
  return renderEpisodeForm(ctx, { ...view, errors: formErrorsOf(saved.error, episodeErrorField), status: saved.error.status })
})
