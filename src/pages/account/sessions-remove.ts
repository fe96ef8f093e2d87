import { currentSessionId, revokeOtherSessions } from '../../auth/my-sessions'
import type { Viewer } from '../../auth/plugin'
import type { AppDeps } from '../../deps'
import { redirectTo, signedIn, type SignedInPage } from '../respond'

// "Sign out everywhere else": every session of the user but this browser's.
export const removeOtherSessions = signedIn(async (deps: AppDeps, ctx: SignedInPage, viewer: Viewer | null) => {
  await revokeOtherSessions(deps.db, ctx.user.id, currentSessionId(viewer))
  return redirectTo(ctx, '/account?done=sessions')
})
