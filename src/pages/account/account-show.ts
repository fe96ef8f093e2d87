import { currentSessionId, listSessions } from '../../auth/my-sessions'
import type { Viewer } from '../../auth/plugin'
import type { AppDeps } from '../../deps'
import { signedIn, type SignedInPage } from '../respond'
import { renderAccountPage } from './account-page'

export const showAccount = signedIn(async (deps: AppDeps, ctx: SignedInPage, viewer: Viewer | null) => {
  return renderAccountPage(ctx, { sessions: await listSessions(deps.db, ctx.user.id, currentSessionId(viewer)) })
})
