import { canModify } from '../../http/rights'
import type { AppDeps } from '../../deps'
import type { PageContext } from '../context'
import { videoScripts } from '../media/video-section'
import { renderFragment, renderPage } from '../respond'
import { loadTitleView } from './load'
import { TitlePage, titleFragment } from './title-page'

export async function showTitle(deps: AppDeps, ctx: PageContext, id: number) {
  const view = await loadTitleView(deps, ctx, id)
  const fragment = ctx.wantsFragment ? titleFragment(ctx, view) : null
  if (fragment) return renderFragment(fragment)
  const { title } = view
  const scripts = title.kind === 'movie' ? videoScripts(title.media, canModify(ctx.user, title.ownerId)) : []
  return renderPage(ctx, { title: title.name, scripts }, <TitlePage ctx={ctx} view={view} />)
}
