import { Elysia } from 'elysia'
import type { AppDeps } from '../deps'
import { clientAddress } from '../http/client-address'
import { createApiToken, deleteApiToken, listApiTokens } from './api-tokens'
import { Credentials, CreatedToken, LoginCredentials, TokenCreate, TokenList, TokenParams, UserEnvelope } from './model'
import { authPlugin, clearSessionCookies, isHttps, setSessionCookies } from './plugin'
import { createSession, invalidateSession } from './sessions'
import { createUser, toUser } from './users'

const detail = (summary: string) => ({ detail: { summary, tags: ['Accounts'] } })

export function authRoutes(deps: AppDeps) {
  return new Elysia({ prefix: '/api/v1' })
    .use(authPlugin(deps))
    .post(
      '/auth/register',
      async ({ body, cookie, request, set }) => {
        const row = await createUser(deps.db, body)
        const { token, session } = await createSession(deps.db, row.id, request.headers.get('user-agent'))
        setSessionCookies(cookie as never, { token, session, isSecure: isHttps(request, deps.config.publicUrl), publicUrl: deps.config.publicUrl })
        set.status = 201
        return { user: toUser(row, deps.admins) }
      },
      { body: Credentials, response: { 201: UserEnvelope }, ...detail('Create an account and sign in') },
    )
    .post(
      '/auth/login',
      async ({ body, cookie, request, server }) => {
        const address = clientAddress(server, request)
        const row = await deps.loginGate.signIn(deps.db, body, address)
        const { token, session } = await createSession(deps.db, row.id, request.headers.get('user-agent'))
        setSessionCookies(cookie as never, { token, session, isSecure: isHttps(request, deps.config.publicUrl), publicUrl: deps.config.publicUrl })
        return { user: toUser(row, deps.admins) }
      },
      { body: LoginCredentials, response: { 200: UserEnvelope }, ...detail('Sign in with username and password') },
    )
    .post(
      '/auth/logout',
      async ({ viewer, cookie, set }) => {
        if (viewer?.via === 'cookie') await invalidateSession(deps.db, viewer.session.id)
        clearSessionCookies(cookie as never, deps.config.publicUrl)
        set.status = 204
      },
      detail('Sign out: the session is deleted on the server'),
    )
    .get('/me', ({ user }) => ({ user }), { signedIn: true, response: { 200: UserEnvelope }, ...detail('The signed-in user') })
    .post(
      '/tokens',
      async ({ user, body, set }) => {
        set.status = 201
        return createApiToken(deps.db, user.id, body.name)
      },
      { signedIn: true, body: TokenCreate, response: { 201: CreatedToken }, ...detail('Create an API token (shown once)') },
    )
    .get('/tokens', async ({ user }) => ({ items: await listApiTokens(deps.db, user.id) }), {
      signedIn: true,
      response: { 200: TokenList },
      ...detail('Your API tokens'),
    })
    .delete(
      '/tokens/:id',
      async ({ user, params, set }) => {
        await deleteApiToken(deps.db, user.id, params.id)
        set.status = 204
      },
      { signedIn: true, params: TokenParams, ...detail('Revoke an API token') },
    )
}
