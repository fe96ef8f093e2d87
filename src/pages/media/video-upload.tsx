// POST /titles/:id/video and /episodes/:id/video: the upload form of a page without
// JavaScript. The whole file streams to disk (src/uploads/form-post.ts); then back to
// the page, which shows the processing.
import type { AppDeps } from '../../deps'
import { hasValidCsrfToken } from '../../http/csrf'
import { errorMessage } from '../../i18n'
import { assertCanQueueVideo } from '../../media/service'
import { receiveFormUpload } from '../../uploads/form-post'
import { uploadLimitsOf } from '../../uploads/limits'
import { attempt } from '../attempt'
import type { PageContext } from '../context'
import { redirectTo, redirectToSignIn, renderPage } from '../respond'
import type { UploadTarget } from './upload-widget'

function targetPath(target: UploadTarget): string {
  return `/${target.kind === 'title' ? 'titles' : 'episodes'}/${target.id}`
}

export async function uploadVideoFromForm(deps: AppDeps, ctx: PageContext, target: UploadTarget, request: Request) {
  const user = ctx.user
  if (!user) return redirectToSignIn(ctx)
  const store = { ...deps.store, ...uploadLimitsOf(deps.config) }
  const received = await attempt(async () => {
    // Refused before the form's body is read (MaxQueuedJobsPerUser).
    await assertCanQueueVideo(deps.db, user, deps.config.maxQueuedJobsPerUser)
    // Without the X-CSRF-Token header, the form's `_csrf` field must carry the token.
    const csrfToken = ctx.csrfToken && !hasValidCsrfToken(request, undefined, ctx.csrfToken) ? ctx.csrfToken : null
    return receiveFormUpload(store, { request, user, target, csrfToken })
  })
  if (received.ok) return redirectTo(ctx, `${targetPath(target)}#video`)
  if (received.error.status === 403 || received.error.status === 404) throw received.error
  const answer = renderPage(
    ctx,
    { title: ctx.t('upload.heading'), status: received.error.status },
    <section class="narrow">
      <p class="warning" role="alert">
        {errorMessage(ctx.t, received.error.code)}
      </p>
      <p>
        <a href={`${targetPath(target)}#video`}>{ctx.t('subtitles.back')}</a>
      </p>
    </section>,
  )
  // The rest of a refused body may still be on its way: closing the connection stops it.
  answer.headers.set('connection', 'close')
  return answer
}
