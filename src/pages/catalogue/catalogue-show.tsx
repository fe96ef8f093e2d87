import { listTitles, popularGenres } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import type { PageRequest } from '../context'
import { catalogueHref, catalogueQueryOf, serviceQueryOf } from './catalogue-query'
import { renderFragment, renderPage } from '../respond'
import { CataloguePage, CatalogueResults, type CatalogueView } from './catalogue-page'

export async function showCatalogue(deps: AppDeps, page: PageRequest) {
  const query = catalogueQueryOf(page.url.searchParams)
  const [list, genres] = await Promise.all([
    listTitles(deps.db, serviceQueryOf(query), page.user?.id ?? null),
    page.wantsFragment ? [] : popularGenres(deps.db),
  ])
  const view: CatalogueView = { query, items: list.items, total: list.total, genres }
  // The address bar shows the canonical URL of this state, not the raw form fields.
  if (page.wantsFragment)
    return renderFragment(<CatalogueResults page={page} view={view} />, { headers: { 'hx-push-url': catalogueHref(query) } })
  return renderPage(page, { title: page.t('catalogue.heading') }, <CataloguePage page={page} view={view} />)
}
