// What a page that changes a title, a season or an episode loads first, as the API does:
// the thing (a 404 when missing), then the right to change it (a 403), and only then the form.
import { findEpisodeRow, findSeasonRow, findTitleRow } from '../catalogue/service'
import type { AppDeps } from '../deps'
import { assertCanModify } from '../http/rights'
import type { SignedInPage } from './respond'

type TitleRow = Awaited<ReturnType<typeof findTitleRow>>

export async function titleToModify(deps: AppDeps, ctx: SignedInPage, titleId: number): Promise<TitleRow> {
  const title = await findTitleRow(deps.db, titleId)
  assertCanModify(ctx.user, title.ownerId, 'this title')
  return title
}

export async function seasonToModify(deps: AppDeps, ctx: SignedInPage, seasonId: number) {
  const { season, ownerId } = await findSeasonRow(deps.db, seasonId)
  assertCanModify(ctx.user, ownerId, 'this title')
  return { season, title: await findTitleRow(deps.db, season.titleId) }
}

export async function episodeToModify(deps: AppDeps, ctx: SignedInPage, episodeId: number) {
  const { episode, titleId, ownerId } = await findEpisodeRow(deps.db, episodeId)
  assertCanModify(ctx.user, ownerId, 'this title')
  return { episode, title: await findTitleRow(deps.db, titleId) }
}
