import { findTitleRow, getSeason } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import type { PageContext } from '../context'
import { renderPage } from '../respond'
import { seasonLabel } from '../titles/title-page'
import { SeasonPage } from './season-page'

// An unknown season is season_not_found, which the page errors answer with the 404 page.
export async function showSeason(deps: AppDeps, ctx: PageContext, id: number) {
  const season = await getSeason(deps.db, id)
  const title = await findTitleRow(deps.db, season.titleId)
  const heading = `${title.name}: ${seasonLabel(ctx.t, season)}`
  return renderPage(ctx, { title: heading }, <SeasonPage ctx={ctx} view={{ season, title }} />)
}
