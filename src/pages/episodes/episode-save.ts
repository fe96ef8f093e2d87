import { findEpisodeRow, findTitleRow, updateEpisode } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { assertCanModify } from '../../http/rights'
import { attempt } from '../attempt'
import { episodeErrorField, episodeFormOf, validateEpisodeForm } from './episode-form'
import { redirectTo, signedIn, type SignedInPage } from '../respond'
import { renderEpisodeForm } from './episode-form-page'

export const saveEpisode = signedIn(async (deps: AppDeps, page: SignedInPage, episodeId: number, body: unknown) => {
  const user = page.user
  const { episode, titleId, ownerId } = await findEpisodeRow(deps.db, episodeId)
  assertCanModify(user, ownerId, 'this title')
  const title = await findTitleRow(deps.db, titleId)
  const form = episodeFormOf(body)
  const view = { title, seasonId: episode.seasonId, episodeId, form }
  const checked = validateEpisodeForm(form)
  if (!checked.ok) return renderEpisodeForm(page, { ...view, errors: checked.errors, status: 400 })
  const saved = await attempt(() => updateEpisode(deps.db, user, episodeId, checked.input))
  if (!saved.ok) {
    if (saved.error.status === 403) throw saved.error
    const errors = { [episodeErrorField(saved.error.code)]: `error.${saved.error.code}` }
    return renderEpisodeForm(page, { ...view, errors, status: saved.error.status })
  }
  return redirectTo(page, `/episodes/${episodeId}`)
})
