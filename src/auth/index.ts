// auth/: accounts, sessions, API tokens, throttling, the signedIn macro, registration, invites, password links.
import { Elysia } from 'elysia'
import type { AppDeps } from '../deps'
import { errorResponses, noContent } from '../http/openapi'
import { signIn } from './login'
import { createApiToken, deleteApiToken, listApiTokens } from './api-tokens'
import { refuseDisabled } from './admin-users'
import {
  CreatedToken,
  LoginCredentials,
  PasswordResetBody,
  RegisterBody,
  TokenCreate,
  TokenList,
  TokenParams,
  UserEnvelope,
} from './model'
import { usePasswordReset } from './password-resets'
import { authPlugin, clearSessionCookies, startSession } from './plugin'
import { invalidateSession } from './sessions'
import { registerAccount } from './registration'
import { usernameRefusalCodes } from './usernames'
import { toUser } from './users'

const detail = (summary: string) => ({ detail: { summary, tags: ['Accounts'] } })

export function authRoutes(deps: AppDeps) {
  return new Elysia({ prefix: '/api/v1' })
    .use(authPlugin(deps))
    .post(
      '/auth/register',
      async ({ body, cookie, request, set, clientAddress }) => {
        deps.throttle.takeSignUp(clientAddress)
        const row = await registerAccount(deps.db, deps.config.registration, body)
        await startSession(deps, row.id, { cookie, request })
        set.status = 201
        return { user: toUser(row, deps.admins) }
      },
      {
        body: RegisterBody,
        response: {
          201: UserEnvelope,
          ...errorResponses('invalid_input', ...usernameRefusalCodes, 'registration_closed', 'invite_invalid', 'too_many_attempts'),
        },
        ...detail('Create an account and sign in (403 registration_closed or invite_invalid, per Registration)'),
      },
    )
    .post(
      '/auth/login',
      async ({ body, cookie, request, clientAddress }) => {
        const row = await signIn(deps, body, clientAddress)
        refuseDisabled(row)
        await startSession(deps, row.id, { cookie, request })
        return { user: toUser(row, deps.admins) }
      },
      {
        body: LoginCredentials,
        response: {
          200: UserEnvelope,
          ...errorResponses('invalid_input', 'invalid_credentials', 'account_disabled', 'too_many_attempts'),
        },
        detail: {
          summary: 'Sign in with username and password',
          description:
            '429 `too_many_attempts` (with Retry-After) after 5 wrong passwords for this username from this client address ' +
            'in 15 min, 20 for any usernames, or with 3 sign-ins of this address still waiting. A username with recent ' +
            'failures from anywhere is never refused, but its answers wait up to 2 s.',
          tags: ['Accounts'],
        },
      },
    )
    .post(
      '/auth/logout',
      async ({ viewer, cookie }) => {
        if (viewer?.via === 'cookie') await invalidateSession(deps.db, viewer.session.id)
        clearSessionCookies(cookie as never, deps.config.publicUrl)
      },
      // An unknown API token, a request from another site (CSRF), too many unknown credentials.
      noContent(
        'Accounts',
        'Sign out: the session is deleted on the server',
        'Signed out',
        'unauthorized',
        'csrf_origin_mismatch',
        'too_many_attempts',
      ),
    )
    .get('/me', ({ user }) => ({ user }), {
      signedIn: true,
      response: { 200: UserEnvelope, ...errorResponses('unauthorized') },
      ...detail('The signed-in user'),
    })
    .post('/tokens', async ({ user, body, status }) => status(201, await createApiToken(deps.db, user.id, body.name)), {
      signedIn: true,
      body: TokenCreate,
      response: { 201: CreatedToken, ...errorResponses('invalid_input', 'unauthorized') },
      ...detail('Create an API token (shown once)'),
    })
    .get('/tokens', async ({ user }) => ({ items: await listApiTokens(deps.db, user.id) }), {
      signedIn: true,
      response: { 200: TokenList, ...errorResponses('unauthorized') },
      ...detail('Your API tokens'),
    })
    .delete('/tokens/:id', ({ user, params }) => deleteApiToken(deps.db, user.id, params.id), {
      signedIn: true,
      params: TokenParams,
      ...noContent('Accounts', 'Revoke an API token', 'Revoked', 'invalid_input', 'unauthorized', 'token_not_found'),
    })
    .post('/auth/password-reset', ({ body }) => usePasswordReset(deps.db, body.token, body.password), {
      body: PasswordResetBody,
      ...noContent(
        'Accounts',
        'Set a new password with a one-time link from an admin; ends all the user’s sessions',
        'Password set',
        'invalid_input',
        'password_reset_invalid',
      ),
    })
}
