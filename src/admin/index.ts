// admin/: the admin API (/api/v1/admin/...); its pages are in pages/admin/.
// The admin API: accounts (list, create, disable, promote, password links) and invites.
// Every route checks on the server that the caller is an admin (403 otherwise).
import { Elysia, t } from 'elysia'
import { changeUser, createAccount, listUsers, makePasswordLink, userChangeRefusalCodes } from '../auth/admin-users'
import { createInvite, deleteInvite, listInvites } from '../auth/invites'
import { invitePath, linkUrl, passwordResetPath } from '../auth/secret-links'
import { usernameRefusalCodes } from '../auth/usernames'
import type { AppDeps } from '../deps'
import { PageQuery, pageOf } from '../http/model'
import { acceptedMedia } from '../media/json'
import { MediaEnvelope } from '../media/model'
import { cancelQueuedJob, listQueue, retryJob } from '../media/queue'
import { retryRefusalCodes } from '../media/retry'
import {
  AdminJobList,
  AdminJobQuery,
  AdminUserCreate,
  AdminUserCreated,
  AdminUserEnvelope,
  AdminUserList,
  AdminUserQuery,
  InviteCreated,
  InviteList,
  OneTimeLink,
  UserChangeBody,
} from './model'
import { adminById, adminByIdNoContent, adminDetail as detail, adminOnlyPlugin, adminRoute } from './admin-only'

export function adminRoutes(deps: AppDeps) {
  const urlOf = (request: Request, path: string, query: Record<string, string>) =>
    linkUrl({ publicUrl: deps.config.publicUrl, requestUrl: request.url }, path, query)
  return new Elysia({ prefix: '/api/v1/admin' })
    .use(adminOnlyPlugin(deps))
    .get(
      '/users',
      async ({ query }) => ({ ...pageOf(query), ...(await listUsers(deps.db, deps.admins, { ...pageOf(query), q: query.q })) }),
      {
        ...adminRoute({ 200: AdminUserList }, 'invalid_input'),
        query: AdminUserQuery,
        ...detail('Users, with why each admin is one, whether disabled, and how many titles they own'),
      },
    )
    .post(
      '/users',
      async ({ admin, body, request, set }) => {
        const { user, link } = await createAccount(deps.db, deps.admins, admin.id, body)
        set.status = 201
        return {
          user,
          passwordLink: link && { url: urlOf(request, passwordResetPath, { token: link.token }), expiresAt: link.expiresAt },
        }
      },
      {
        ...adminRoute({ 201: AdminUserCreated }, 'invalid_input', ...usernameRefusalCodes),
        body: AdminUserCreate,
        ...detail('Create an account (any Registration mode); without a password, answers a one-time link to set one'),
      },
    )
    .patch(
      '/users/:id',
      async ({ admin, params, body }) => ({ user: await changeUser(deps.db, deps.admins, admin.id, params.id, body) }),
      {
        ...adminById({ 200: AdminUserEnvelope }, 'user_not_found', ...userChangeRefusalCodes),
        body: UserChangeBody,
        ...detail('Disable or enable (disabling ends the user’s sessions and API tokens), promote or demote a user'),
      },
    )
    .post(
      '/users/:id/password-reset',
      async ({ admin, params, request, set }) => {
        const { link } = await makePasswordLink(deps.db, deps.admins, admin.id, params.id)
        set.status = 201
        return { url: urlOf(request, passwordResetPath, { token: link.token }), expiresAt: link.expiresAt }
      },
      {
        ...adminById({ 201: OneTimeLink }, 'user_not_found', 'admin_in_admins_file'),
        ...detail('A one-time link (24 h) to set a new password; using it ends all the user’s sessions'),
      },
    )
    .post(
      '/invites',
      async ({ admin, request, set }) => {
        const invite = await createInvite(deps.db, admin.id)
        set.status = 201
        return { id: invite.id, url: urlOf(request, invitePath, { invite: invite.token }), expiresAt: invite.expiresAt }
      },
      {
        ...adminRoute({ 201: InviteCreated }),
        ...detail('A single-use invite link (7 days), for Registration=invite'),
      },
    )
    .get('/invites', async ({ query }) => ({ ...pageOf(query), ...(await listInvites(deps.db, pageOf(query))) }), {
      ...adminRoute({ 200: InviteList }, 'invalid_input'),
      query: t.Object(PageQuery),
      ...detail('Invites, newest first'),
    })
    .get(
      '/jobs',
      async ({ query }) => {
        const { items, total } = await listQueue(deps.store, pageOf(query), query.status)
        // What the page shows besides (who uploaded it, its title) stays out of the API's job.
        const jobs = items.map(({ owner, titleName, episodeName, errorParams, ...job }) => job)
        return { ...pageOf(query), items: jobs, total }
      },
      {
        ...adminRoute({ 200: AdminJobList }, 'invalid_input'),
        query: AdminJobQuery,
        ...detail('Transcoding jobs: running, then queued (in the order workers take them), then the latest failed'),
      },
    )
    .post('/jobs/:id/cancel', ({ params }) => cancelQueuedJob(deps.store, params.id), {
      ...adminByIdNoContent(
        'Cancel a job: a queued one leaves the queue, a running one’s worker stops its ffmpeg at its next heartbeat; the video fails as `cancelled`',
        'Cancelled',
        'job_not_found',
        'job_not_active',
      ),
    })
    .post('/jobs/:id/retry', async ({ admin, params, set }) => acceptedMedia(set, await retryJob(deps.store, admin, params.id)), {
      ...adminById({ 202: MediaEnvelope }, 'job_not_found', ...retryRefusalCodes),
      ...detail('Queue the failed video of a job again (as POST /api/v1/media/:id/retry)'),
    })
    .delete('/invites/:id', ({ params }) => deleteInvite(deps.db, params.id), {
      ...adminByIdNoContent('Revoke an invite', 'Revoked', 'invite_not_found'),
    })
}
