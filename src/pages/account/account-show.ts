import { currentSessionId, listSessions } from '../../auth/my-sessions'
import type { Viewer } from '../../auth/plugin'
import type { AppDeps } from '../../deps'
import { signedIn, type SignedInPage } from '../respond'
import { renderAccountPage } from './account-page'

export const showAccount = signedIn(async (deps: AppDeps, page: SignedInPage, viewer: Viewer | null) => {
  return renderAccountPage(page, { sessions: await listSessions(deps.db, page.user.id, currentSessionId(viewer)) })
})
