import type { AppDeps } from '../../deps'
import { assertCanModifyMedia, deleteMedia, getMedia } from '../../media/service'
import { redirectTo, type SignedInPage, signedIn } from '../respond'
import { uploadsPath } from './uploads-page'

export const removeUpload = signedIn(async (deps: AppDeps, ctx: SignedInPage, mediaId: number) => {
  await assertCanModifyMedia(deps.db, ctx.user, await getMedia(deps.db, mediaId))
  await deleteMedia(deps.store, mediaId)
  return redirectTo(ctx, uploadsPath)
})
