import { currentSessionId, revokeOtherSessions } from '../../auth/my-sessions'
import type { Viewer } from '../../auth/plugin'
import type { AppDeps } from '../../deps'
import type { PageRequest } from '../context'
import { redirectTo, redirectToSignIn } from '../respond'

// "Sign out everywhere else": every session of the user but this browser's.
export async function removeOtherSessions(deps: AppDeps, page: PageRequest, viewer: Viewer | null) {
  if (!page.user) return redirectToSignIn(page)
  await revokeOtherSessions(deps.db, page.user.id, currentSessionId(viewer))
  return redirectTo(page, '/account?done=sessions')
}
