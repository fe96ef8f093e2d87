// The JSON API by which people manage their own account: password, sessions, deletion.
// The pages (src/pages/account) call the same service functions.
import { Elysia } from 'elysia'
import type { AppDeps } from '../deps'
import { deleteAccount } from './account-deletion'
import { errorResponses, noContent } from '../http/openapi'
import type { ErrorCode } from '../http/errors'
import { AccountDeletion, PasswordChange, SessionList, SessionParams } from './account-model'
import { currentSessionId, listSessions, revokeOtherSessions, revokeSession } from './my-sessions'
import { changePassword, confirmPassword } from './passwords'
import { authPlugin, clearSessionCookies, isHttps, setSessionCookies } from './plugin'

// For answers without a body (204): a response schema cannot express them.
const noContentDetail = (summary: string, ...codes: ErrorCode[]) => noContent('Accounts', summary, 'Done', 'unauthorized', ...codes)

export function accountRoutes(deps: AppDeps) {
  const { publicUrl } = deps.config
  const { store } = deps
  return new Elysia({ prefix: '/api/v1' })
    .use(authPlugin(deps))
    .put(
      '/me/password',
      async ({ user, viewer, body, cookie, request, clientAddress }) => {
        await confirmPassword(deps, { userId: user.id, password: body.currentPassword, clientAddress })
        const current = viewer?.via === 'cookie' ? { userAgent: request.headers.get('user-agent') } : null
        const rotated = await changePassword(deps.db, { userId: user.id, newPassword: body.newPassword, current })
        if (rotated) setSessionCookies(cookie as never, { ...rotated, isSecure: isHttps(request, publicUrl), publicUrl })
      },
      {
        signedIn: true,
        body: PasswordChange,
        // invalid_input: the new password breaks the rule (8 to 256 characters); invalid_credentials:
        // the current one is wrong; too_many_attempts: too many wrong ones, wait Retry-After seconds.
        ...noContentDetail(
          'Change your password: every other session ends, this one gets new cookies',
          'invalid_input',
          'invalid_credentials',
          'too_many_attempts',
        ),
      },
    )
    .get('/me/sessions', async ({ user, viewer }) => ({ items: await listSessions(deps.db, user.id, currentSessionId(viewer)) }), {
      signedIn: true,
      response: { 200: SessionList, ...errorResponses('unauthorized') },
      detail: { summary: 'Your signed-in browsers, most recently used first', tags: ['Accounts'] },
    })
    .delete('/me/sessions', ({ user, viewer }) => revokeOtherSessions(deps.db, user.id, currentSessionId(viewer)), {
      signedIn: true,
      ...noContentDetail('Sign out everywhere else: every session but this one ends (all of them with an API token)'),
    })
    .delete(
      '/me/sessions/:id',
      async ({ user, viewer, params, cookie, set }) => {
        const revokedId = await revokeSession(deps.db, user.id, params.id)
        if (revokedId === currentSessionId(viewer)) clearSessionCookies(cookie as never, publicUrl)
        set.status = 204
      },
      {
        signedIn: true,
        params: SessionParams,
        ...noContentDetail('End one of your sessions (this one too: that signs you out)', 'invalid_input', 'session_not_found'),
      },
    )
    .delete(
      '/me',
      async ({ user, body, cookie, clientAddress }) => {
        await confirmPassword(deps, { userId: user.id, password: body.password, clientAddress })
        await deleteAccount(store, user, { keepTitles: body.keepTitles ?? true })
        clearSessionCookies(cookie as never, publicUrl)
      },
      {
        signedIn: true,
        body: AccountDeletion,
        ...noContentDetail(
          'Delete your account; your sessions and API tokens end at once',
          'invalid_input',
          'invalid_credentials',
          'too_many_attempts',
        ),
      },
    )
}
