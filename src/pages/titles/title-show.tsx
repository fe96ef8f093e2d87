import { canModify } from '../../http/rights'
import type { AppDeps } from '../../deps'
import type { PageRequest } from '../context'
import { videoScripts } from '../media/video-section'
import { renderFragment, renderPage } from '../respond'
import { loadTitleView } from './load'
import { TitlePage, titleFragment } from './title-page'

export async function showTitle(deps: AppDeps, page: PageRequest, id: number) {
  const view = await loadTitleView(deps, page, id)
  const fragment = page.wantsFragment ? titleFragment(page, view) : null
  if (fragment) return renderFragment(fragment)
  const { title } = view
  const scripts = title.kind === 'movie' ? videoScripts(title.media, canModify(page.user, title.ownerId)) : []
  return renderPage(page, { title: title.name, scripts }, <TitlePage page={page} view={view} />)
}
