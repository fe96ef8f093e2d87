// The web interface: server-rendered pages (htmx swaps fragments of them). Pages call the
// same service functions as the JSON API, never the API over HTTP. Forms post to these
// routes (HTML forms only GET and POST, hence …/delete); each handler lives in a file
// named after it, noun_verb.
import { Elysia } from 'elysia'
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
import { type PageRequest, pageRequestOf } from './context'
import { createEpisodeFromForm } from './episodes/episode-create'
import { showEpisodeEdit } from './episodes/episode-edit'
import { showNewEpisode } from './episodes/episode-new'
import { removeEpisode } from './episodes/episode-remove'
import { saveEpisode } from './episodes/episode-save'
import { showEpisode } from './episodes/episode-show'
import { pageErrors } from './errors'
import { pageId } from './ids'
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
  type UploadContext = { page: PageRequest; params: { id: string }; request: Request }
  const uploadFormOf =
    (kind: UploadTarget['kind']) =>
    ({ page, params, request }: UploadContext) =>
      uploadVideoFromForm(deps, page, { kind, id: pageId(params.id) }, request)
  return (
    new Elysia({ name: 'pages' })
      .use(authPlugin(deps))
      .use(pageErrors(deps.config))
      .derive(({ request, viewer, cookie }) => ({ page: pageRequestOf(request, viewer, cookie as never, deps.config) }))
      // Catalogue and titles
      .get('/', ({ page }) => showCatalogue(deps, page))
      .get('/titles/new', ({ page }) => showNewTitle(deps, page))
      .post('/titles', ({ page, body }) => createTitleFromForm(deps, page, body))
      .get('/titles/:id', ({ page, params }) => showTitle(deps, page, pageId(params.id)))
      .get('/titles/:id/edit', ({ page, params }) => showTitleEdit(deps, page, pageId(params.id)))
      .post('/titles/:id', ({ page, params, body }) => saveTitle(deps, page, pageId(params.id), body))
      .post('/titles/:id/delete', ({ page, params }) => removeTitle(deps, page, pageId(params.id)))
      .post('/titles/:id/rating', ({ page, params, body }) => saveRating(deps, page, pageId(params.id), body))
      .post('/titles/:id/rating/delete', ({ page, params }) => removeRating(deps, page, pageId(params.id)))
      .post('/titles/:id/rating/remove', ({ params }) => movedTo(`/titles/${pageId(params.id)}/rating/delete`))
      // Reviews
      .post('/titles/:id/reviews', ({ page, params, body }) => createReviewFromForm(deps, page, pageId(params.id), body))
      .get('/reviews/:id/edit', ({ page, params }) => showReviewEdit(deps, page, pageId(params.id)))
      .post('/reviews/:id', ({ page, params, body }) => saveReview(deps, page, pageId(params.id), body))
      .post('/reviews/:id/delete', ({ page, params }) => removeReview(deps, page, pageId(params.id)))
      // Seasons and episodes
      .get('/titles/:id/seasons/new', ({ page, params }) => showNewSeason(deps, page, pageId(params.id)))
      .post('/titles/:id/seasons', ({ page, params, body }) => createSeasonFromForm(deps, page, pageId(params.id), body))
      .get('/seasons/:id/edit', ({ page, params }) => showSeasonEdit(deps, page, pageId(params.id)))
      .post('/seasons/:id', ({ page, params, body }) => saveSeason(deps, page, pageId(params.id), body))
      .post('/seasons/:id/delete', ({ page, params }) => removeSeason(deps, page, pageId(params.id)))
      .get('/seasons/:id/episodes/new', ({ page, params }) => showNewEpisode(deps, page, pageId(params.id)))
      .post('/seasons/:id/episodes', ({ page, params, body }) => createEpisodeFromForm(deps, page, pageId(params.id), body))
      .get('/episodes/:id', ({ page, params }) => showEpisode(deps, page, pageId(params.id)))
      .get('/episodes/:id/edit', ({ page, params }) => showEpisodeEdit(deps, page, pageId(params.id)))
      .post('/episodes/:id', ({ page, params, body }) => saveEpisode(deps, page, pageId(params.id), body))
      .post('/episodes/:id/delete', ({ page, params }) => removeEpisode(deps, page, pageId(params.id)))
      // A whole video from the upload form without JavaScript: the body streams to disk.
      .post('/titles/:id/video', uploadFormOf('title'), { parse: 'none' })
      .post('/episodes/:id/video', uploadFormOf('episode'), { parse: 'none' })
      // Subtitle files, a form post of their own at the API's path (which takes the same multipart body).
      .post('/media/:id/subtitles', ({ page, params, body }) => createSubtitles(deps, page, pageId(params.id), body), {
        parse: [({ request }) => refuseLargerThan(request, maxSubtitleBytes + 64 * 1024)],
      })
      .post('/videos/:id/subtitles', ({ params }) => movedTo(`/media/${pageId(params.id)}/subtitles`), {
        parse: [({ request }) => refuseLargerThan(request, maxSubtitleBytes + 64 * 1024)],
      })
      // Accounts
      .get('/register', ({ page, cookie, request }) => showRegistration(deps, page, { cookie, request }))
      .post('/register', ({ page, body, cookie, request, clientAddress }) =>
        saveRegistration(deps, page, { body, cookie, request, clientAddress }),
      )
      .get('/login', ({ page }) => showLogin(page))
      .post('/login', ({ page, body, cookie, request, clientAddress }) =>
        checkLogin(deps, page, {
          body,
          cookie,
          request,
          clientAddress,
        }),
      )
      .post('/logout', ({ page, viewer, cookie }) => logout(deps, page, { viewer, cookie }))
      .get('/account/tokens', ({ page }) => showTokens(deps, page))
      .post('/account/tokens', ({ page, body }) => createToken(deps, page, body))
      .post('/account/tokens/:id/delete', ({ page, params }) => removeToken(deps, page, pageId(params.id)))
      // Setting a password with an admin's one-time link
      .get('/password-reset', ({ page, cookie, request }) => showPasswordReset(deps, page, { cookie, request }))
      .post('/password-reset', ({ page, body, cookie }) => savePasswordReset(deps, page, { body, cookie }))
      // Admins: accounts and invites
      .get('/admin/users', ({ page }) => showUsers(deps, page))
      .post('/admin/users', ({ page, body }) => createUserFromPage(deps, page, body))
      .post('/admin/users/:id/password-link', ({ page, params }) => makePasswordLinkFromPage(deps, page, pageId(params.id)))
      .post('/admin/users/:id/:change', ({ page, params }) => {
        const change = userChanges[params.change]
        if (!Object.hasOwn(userChanges, params.change)) throw notFound()
        return updateUserFromPage(deps, page, pageId(params.id), change)
      })
      .post('/admin/invites', ({ page }) => createInviteFromPage(deps, page))
      .post('/admin/invites/:id/delete', ({ page, params }) => removeInvite(deps, page, pageId(params.id)))
      // One's own account: password, sessions, deletion
      .get('/account', ({ page, viewer }) => showAccount(deps, page, viewer))
      .post('/account/password', ({ page, body, viewer, cookie, request, clientAddress }) =>
        savePassword(deps, page, { body, viewer, cookie, request, clientAddress }),
      )
      .post('/account/sessions/delete', ({ page, viewer }) => removeOtherSessions(deps, page, viewer))
      .post('/account/sessions/:id/delete', ({ page, params, viewer, cookie }) =>
        removeSession(deps, page, { id: params.id, viewer, cookie }),
      )
      .get('/account/delete', ({ page }) => showAccountDelete(deps, page))
      .post('/account/delete', ({ page, body, cookie, clientAddress }) => removeAccount(deps, page, { body, cookie, clientAddress }))
  )
}
