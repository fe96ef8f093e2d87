import type { AppDeps } from '../../deps'
import { retryMedia } from '../../media/retry'
import { attempt } from '../attempt'
import { redirectTo, type SignedInPage, signedIn } from '../respond'
import { renderUploads, uploadsPath } from './uploads-page'
import { loadUploads } from './uploads-show'

// A refusal (not failed, its file gone, still stopping) is said above the list; a 403 or 404
// is the error page's.
export const retryUpload = signedIn(async (deps: AppDeps, ctx: SignedInPage, mediaId: number) => {
  const retried = await attempt(() => retryMedia(deps.store, ctx.user, mediaId))
  if (retried.ok) return redirectTo(ctx, uploadsPath)
  if (retried.error.status !== 409) throw retried.error
  const view = await loadUploads(deps, ctx, 1, { form: `error.${retried.error.code}` })
  return renderUploads(ctx, view, retried.error.status)
})
