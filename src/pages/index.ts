// pages/: the htmx web interface: layout, request context, ui/, then one folder per resource.
// The web interface: server-rendered pages (htmx swaps fragments of them). Pages call the
// same service functions as the JSON API, never the API over HTTP. Forms post to these
// routes (HTML forms only GET and POST, hence …/delete); each handler lives in a file
// named after it, noun_verb.
import { Elysia } from 'elysia'
import { needsMember } from '../auth/browsing'
import { authPlugin } from '../auth/plugin'
import type { AppDeps } from '../deps'
import { notFound, payloadTooLarge } from '../http/errors'
import { maxSubtitleBytes } from '../media/subtitles/model'
import { checkLogin } from './account/login-check'
import { createInviteFromPage } from './admin/invite-create'
import { removeInvite } from './admin/invite-remove'
import { createUserFromPage } from './admin/user-create'
import { makePasswordLinkFromPage } from './admin/user-password-link'
import { updateUserFromPage, userChanges } from './admin/user-update'
import { showUsers } from './admin/users-show'
import { jobChanges, updateJobFromPage } from './admin/job-update'
import { showQueue } from './admin/queue-show'
import { createRegistrationTokenFromPage } from './admin/registration-token-create'
import { removeRegistrationTokenFromPage } from './admin/registration-token-remove'
import { revokeRunnerFromPage } from './admin/runner-revoke'
import { showRunners } from './admin/runners-show'
import { removeUpload } from './uploads/upload-remove'
import { retryUpload } from './uploads/upload-retry'
import { showUploads } from './uploads/uploads-show'
import { savePasswordReset } from './recovery/password-reset-save'
import { showPasswordReset } from './recovery/password-reset-show'
import { showLogin } from './account/login-show'
import { logout } from './account/logout'
import { saveRegistration } from './account/register-save'
import { showRegistration } from './account/register-show'
import { createToken } from './account/token-create'
import { removeToken } from './account/token-remove'
import { showTokens } from './account/tokens-show'
import { showAccount } from './account/account-show'
import { savePassword } from './account/password-save'
import { removeSession } from './account/session-remove'
import { removeOtherSessions } from './account/sessions-remove'
import { showAccountDelete } from './account/account-delete-show'
import { removeAccount } from './account/account-remove'
import './assets'
import { showCatalogue } from './catalogue/catalogue-show'
import { type PageContext, pageContextOf } from './context'
import { createEpisodeFromForm } from './episodes/episode-create'
import { showEpisodeEdit } from './episodes/episode-edit'
import { showNewEpisode } from './episodes/episode-new'
import { removeEpisode } from './episodes/episode-remove'
import { saveEpisode } from './episodes/episode-save'
import { showEpisode } from './episodes/episode-show'
import { pageErrors } from './errors'
import { pageId } from './ids'
import { redirectToSignIn } from './respond'
import { createSubtitles } from './media/subtitle-create'
import { createReviewFromForm } from './reviews/review-create'
import { showReviewEdit } from './reviews/review-edit'
import { removeReview } from './reviews/review-remove'
import { saveReview } from './reviews/review-save'
import { createSeasonFromForm } from './seasons/season-create'
import { showSeasonEdit } from './seasons/season-edit'
import { showNewSeason } from './seasons/season-new'
import { removeSeason } from './seasons/season-remove'
import { saveSeason } from './seasons/season-save'
import { showSeason } from './seasons/season-show'
import { removeRating, saveRating } from './titles/rating-save'
import { createTitleFromForm } from './titles/title-create'
import { showTitleEdit } from './titles/title-edit'
import { showNewTitle } from './titles/title-new'
import { removeTitle } from './titles/title-remove'
import { saveTitle } from './titles/title-save'
import { showTitle } from './titles/title-show'
import type { UploadTarget } from './media/upload-widget'
import { uploadVideoFromForm } from './media/video-upload'

// Checked before the multipart body is read into memory.
function refuseLargerThan(request: Request, maxBytes: number): undefined {
  if (Number(request.headers.get('content-length') ?? 0) > maxBytes) throw payloadTooLarge(`At most ${maxBytes} bytes`)
  return undefined
}

// A form route renamed: 308 keeps the method and the body, so a page loaded before the
// rename still posts where it meant to.
function movedTo(path: string): Response {
  return new Response(null, { status: 308, headers: { location: path } })
}

export function pageRoutes(deps: AppDeps) {
  // Most forms and pages take the id in the path (a 404 when it is not one) and the form.
  type ByIdContext = { ctx: PageContext; params: { id: string }; body: unknown }
  type ByIdHandler = (deps: AppDeps, ctx: PageContext, id: number, body: unknown) => Response | Promise<Response>
  const byId =
    (handler: ByIdHandler) =>
    ({ ctx, params, body }: ByIdContext) =>
      handler(deps, ctx, pageId(params.id), body)
  type UploadContext = { ctx: PageContext; params: { id: string }; request: Request }
  const uploadFormOf =
    (kind: UploadTarget['kind']) =>
    ({ ctx, params, request }: UploadContext) =>
      uploadVideoFromForm(deps, ctx, { kind, id: pageId(params.id) }, request)
  return (
    new Elysia({ name: 'pages' })
      .use(authPlugin(deps))
      .use(pageErrors(deps.config))
      .derive(({ request, viewer, cookie }) => ({ ctx: pageContextOf(request, viewer, cookie as never, deps.config) }))
      // Browsing=members: anyone not signed in is sent to sign in first, then back (auth/browsing.ts).
      .onBeforeHandle(({ ctx }) =>
        needsMember({ mode: deps.config.browsing, pathname: ctx.url.pathname, isSignedIn: ctx.user !== null })
          ? redirectToSignIn(ctx)
          : undefined,
      )
      // Catalogue and titles
      .get('/', ({ ctx }) => showCatalogue(deps, ctx))
      .get('/titles/new', ({ ctx }) => showNewTitle(deps, ctx))
      .post('/titles', ({ ctx, body }) => createTitleFromForm(deps, ctx, body))
      .get('/titles/:id', byId(showTitle))
      .get('/titles/:id/edit', byId(showTitleEdit))
      .post('/titles/:id', byId(saveTitle))
      .post('/titles/:id/delete', byId(removeTitle))
      .post('/titles/:id/rating', byId(saveRating))
      .post('/titles/:id/rating/delete', byId(removeRating))
      .post('/titles/:id/rating/remove', ({ params }) => movedTo(`/titles/${pageId(params.id)}/rating/delete`))
      // Reviews
      .post('/titles/:id/reviews', byId(createReviewFromForm))
      .get('/reviews/:id/edit', byId(showReviewEdit))
      .post('/reviews/:id', byId(saveReview))
      .post('/reviews/:id/delete', byId(removeReview))
      // Seasons and episodes
      .get('/titles/:id/seasons/new', byId(showNewSeason))
      .post('/titles/:id/seasons', byId(createSeasonFromForm))
      .get('/seasons/:id', byId(showSeason))
      .get('/seasons/:id/edit', byId(showSeasonEdit))
      .post('/seasons/:id', byId(saveSeason))
      .post('/seasons/:id/delete', byId(removeSeason))
      .get('/seasons/:id/episodes/new', byId(showNewEpisode))
      .post('/seasons/:id/episodes', byId(createEpisodeFromForm))
      .get('/episodes/:id', byId(showEpisode))
      .get('/episodes/:id/edit', byId(showEpisodeEdit))
      .post('/episodes/:id', byId(saveEpisode))
      .post('/episodes/:id/delete', byId(removeEpisode))
      // A whole video from the upload form without JavaScript: the body streams to disk.
      .post('/titles/:id/video', uploadFormOf('title'), { parse: 'none' })
      .post('/episodes/:id/video', uploadFormOf('episode'), { parse: 'none' })
      // Subtitle files, a form post of their own at the API's path (which takes the same multipart body).
      .post('/media/:id/subtitles', byId(createSubtitles), {
        parse: [({ request }) => refuseLargerThan(request, maxSubtitleBytes + 64 * 1024)],
      })
      .post('/videos/:id/subtitles', ({ params }) => movedTo(`/media/${pageId(params.id)}/subtitles`), {
        parse: [({ request }) => refuseLargerThan(request, maxSubtitleBytes + 64 * 1024)],
      })
      // Accounts
      .get('/register', ({ ctx, cookie, request }) => showRegistration(deps, ctx, { cookie, request }))
      .post('/register', ({ ctx, body, cookie, request, clientAddress }) =>
        saveRegistration(deps, ctx, { body, cookie, request, clientAddress }),
      )
      .get('/login', ({ ctx }) => showLogin(ctx))
      .post('/login', ({ ctx, body, cookie, request, clientAddress }) =>
        checkLogin(deps, ctx, {
          body,
          cookie,
          request,
          clientAddress,
        }),
      )
      .post('/logout', ({ ctx, viewer, cookie }) => logout(deps, ctx, { viewer, cookie }))
      .get('/account/tokens', ({ ctx }) => showTokens(deps, ctx))
      .post('/account/tokens', ({ ctx, body }) => createToken(deps, ctx, body))
      .post('/account/tokens/:id/delete', byId(removeToken))
      // Setting a password with an admin's one-time link
      .get('/password-reset', ({ ctx, cookie, request }) => showPasswordReset(deps, ctx, { cookie, request }))
      .post('/password-reset', ({ ctx, body, cookie }) => savePasswordReset(deps, ctx, { body, cookie }))
      // Admins: accounts and invites
      .get('/admin/users', ({ ctx }) => showUsers(deps, ctx))
      .post('/admin/users', ({ ctx, body }) => createUserFromPage(deps, ctx, body))
      .post('/admin/users/:id/password-link', byId(makePasswordLinkFromPage))
      .post('/admin/users/:id/:change', ({ ctx, params }) => {
        const change = userChanges[params.change]
        if (!Object.hasOwn(userChanges, params.change)) throw notFound()
        return updateUserFromPage(deps, ctx, pageId(params.id), change)
      })
      .post('/admin/invites', ({ ctx }) => createInviteFromPage(deps, ctx))
      .post('/admin/invites/:id/delete', byId(removeInvite))
      // Admins: the transcoding queue
      .get('/admin/queue', ({ ctx }) => showQueue(deps, ctx))
      .post('/admin/queue/:id/:change', ({ ctx, params }) => {
        if (!Object.hasOwn(jobChanges, params.change)) throw notFound()
        return updateJobFromPage(deps, ctx, pageId(params.id), params.change)
      })
      // Admins: remote runners and their registration tokens
      .get('/admin/runners', ({ ctx }) => showRunners(deps, ctx))
      .post('/admin/runners/tokens', ({ ctx, body }) => createRegistrationTokenFromPage(deps, ctx, body))
      .post('/admin/runners/tokens/:id/delete', byId(removeRegistrationTokenFromPage))
      .post('/admin/runners/:id/revoke', byId(revokeRunnerFromPage))
      // One's own uploads
      .get('/me/uploads', ({ ctx }) => showUploads(deps, ctx))
      .post('/me/uploads/:id/retry', byId(retryUpload))
      .post('/me/uploads/:id/delete', byId(removeUpload))
      // One's own account: password, sessions, deletion
      .get('/account', ({ ctx, viewer }) => showAccount(deps, ctx, viewer))
      .post('/account/password', ({ ctx, body, viewer, cookie, request, clientAddress }) =>
        savePassword(deps, ctx, { body, viewer, cookie, request, clientAddress }),
      )
      .post('/account/sessions/delete', ({ ctx, viewer }) => removeOtherSessions(deps, ctx, viewer))
      .post('/account/sessions/:id/delete', ({ ctx, params, viewer, cookie }) =>
        removeSession(deps, ctx, { id: params.id, viewer, cookie }),
      )
      .get('/account/delete', ({ ctx }) => showAccountDelete(deps, ctx))
      .post('/account/delete', ({ ctx, body, cookie, clientAddress }) => removeAccount(deps, ctx, { body, cookie, clientAddress }))
  )
}
