import { currentSessionId, listSessions } from '../../auth/my-sessions'
import type { Viewer } from '../../auth/plugin'
import type { AppDeps } from '../../deps'
import type { PageRequest } from '../context'
import { redirectToSignIn } from '../respond'
import { renderAccountPage } from './account_page'

export async function showAccount(deps: AppDeps, page: PageRequest, viewer: Viewer | null) {
  if (!page.user) return redirectToSignIn(page)
  return renderAccountPage(page, { sessions: await listSessions(deps.db, page.user.id, currentSessionId(viewer)) })
}
