import { getTitle } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { assertCanModify } from '../../http/rights'
import type { PageRequest } from '../context'
import { redirectToSignIn } from '../respond'
import { renderSeasonForm } from './season_form_page'

export async function showNewSeason(deps: AppDeps, page: PageRequest, titleId: number) {
  if (!page.user) return redirectToSignIn(page)
  const title = await getTitle(deps.db, titleId, page.user.id)
  assertCanModify(page.user, title.ownerId, 'this title')
  const next = Math.max(0, ...title.seasons.map((season) => season.number)) + 1
  return renderSeasonForm(page, { title, seasonId: null, form: { number: String(next), name: '' }, errors: {} })
}
