import { listTitles, popularGenres } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { continueWatching } from '../../watch/continue'
import { videoBadgesOf } from '../../media/mine'
import type { PageContext } from '../context'
import { catalogueHref, catalogueQueryOf, serviceQueryOf } from './catalogue-query'
import { renderFragment, renderPage } from '../respond'
import { CataloguePage, CatalogueResults, type CatalogueView } from './catalogue-page'

export async function showCatalogue(deps: AppDeps, ctx: PageContext) {
  const query = catalogueQueryOf(ctx.url.searchParams)
  const isHome = !ctx.wantsFragment && catalogueHref(query) === '/'
  const [list, genres, resumable] = await Promise.all([
    listTitles(deps.db, serviceQueryOf(query), ctx.user?.id ?? null),
    ctx.wantsFragment ? [] : popularGenres(deps.db),
    isHome && ctx.user ? continueWatching(deps.db, ctx.user.id) : [],
  ])
  const badges = ctx.user
    ? await videoBadgesOf(
        deps.store,
        ctx.user.id,
        list.items.map(title => title.id),
      )
    : new Map()
  const view: CatalogueView = { query, items: list.items, total: list.total, genres, badges, continueWatching: resumable }
  // The address bar shows the canonical URL of this state, not the raw form fields.
  if (ctx.wantsFragment)
    return renderFragment(<CatalogueResults ctx={ctx} view={view} />, { headers: { 'hx-push-url': catalogueHref(query) } })
  return renderPage(ctx, { title: ctx.t('catalogue.heading') }, <CataloguePage ctx={ctx} view={view} />)
}
