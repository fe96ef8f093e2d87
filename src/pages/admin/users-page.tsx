// Accounts for admins: find, disable or enable, promote or demote, make a one-time password
// link; create an account; make an invite link. A link is shown once, in the answer that
// made it (never in a redirect's address), like a new API token.
import type { AdminUser } from '../../auth/admin-users'
import { listUsers } from '../../auth/admin-users'
import { listInvites } from '../../auth/invites'
import type { AppDeps } from '../../deps'
import type { PageContext } from '../context'
import { renderPage } from '../respond'
import { userSearchRule, usernameRule } from '../../auth/rules'
import { CsrfField, type FormErrors, FormAlert, RowButton, TextField, errorText } from '../ui/form'
import { SecretNotice } from '../ui/secret-notice'
import { TableHead } from '../ui/table'
import { formatDate } from '../ui/format'
import { Pagination } from '../ui/pagination'
import { AdminNav } from './admin-nav'

export type OneTimeNotice = { kind: 'password'; username: string; url: string } | { kind: 'invite'; url: string }

export type UsersView = { q: string; pageNumber: number; notice?: OneTimeNotice; errors?: FormErrors; newUsername?: string }

type UsersList = { items: AdminUser[]; total: number; perPage: number }
type InviteRow = Awaited<ReturnType<typeof listInvites>>['items'][number]

const perPage = 50

function LinkNotice({ ctx, notice }: { ctx: PageContext; notice: OneTimeNotice }) {
  const { t } = ctx
  const message = notice.kind === 'password' ? t('admin.link_for_user', { username: notice.username }) : t('admin.invite_link')
  return <SecretNotice id="one-time-link" secret={notice.url} copyLabel={t('admin.copy_now')} message={message} />
}

function roleOf(ctx: PageContext, user: AdminUser): string {
  if (user.adminSource === 'admins.txt') return ctx.t('admin.role_admins_file')
  return user.adminSource === 'promoted' ? ctx.t('admin.role_promoted') : ctx.t('admin.role_user')
}

// admins.txt admins and the admin themselves get no buttons the server would refuse.
function UserActions({ ctx, user }: { ctx: PageContext; user: AdminUser }) {
  const { t } = ctx
  const vars = { username: user.username }
  const base = `/admin/users/${user.id}`
  const isProtected = user.adminSource === 'admins.txt' || user.id === ctx.user?.id
  return (
    <div class="actions">
      {!isProtected &&
        (user.disabled ? (
          <RowButton ctx={ctx} action={`${base}/enable`} label={t('admin.enable')} ariaLabel={t('admin.enable_named', vars)} />
        ) : (
          <RowButton ctx={ctx} action={`${base}/disable`} label={t('admin.disable')} ariaLabel={t('admin.disable_named', vars)} danger />
        ))}
      {!isProtected &&
        (user.isAdmin ? (
          <RowButton ctx={ctx} action={`${base}/demote`} label={t('admin.demote')} ariaLabel={t('admin.demote_named', vars)} />
        ) : (
          <RowButton ctx={ctx} action={`${base}/promote`} label={t('admin.promote')} ariaLabel={t('admin.promote_named', vars)} />
        ))}
      <RowButton
        ctx={ctx}
        action={`${base}/password-link`}
        label={t('admin.password_link')}
        ariaLabel={t('admin.password_link_named', vars)}
      />
    </div>
  )
}

const userColumns = ['username', 'role', 'status', 'titles', 'created', 'actions'] as const

function UsersTable({ ctx, users }: { ctx: PageContext; users: AdminUser[] }) {
  const { t, locale } = ctx
  if (users.length === 0) return <p>{t('admin.none_found')}</p>
  return (
    <table class="users">
      <TableHead columns={userColumns.map(column => t(`admin.col_${column}`))} />
      <tbody>
        {users.map(user => (
          <tr data-user-id={user.id}>
            <th scope="row">
              {user.username}
              {user.id === ctx.user?.id && ` (${t('admin.you')})`}
            </th>
            <td>{roleOf(ctx, user)}</td>
            <td>{user.disabled ? t('admin.status_disabled') : t('admin.status_active')}</td>
            <td>{user.titlesCount}</td>
            <td>{formatDate(user.createdAt, locale)}</td>
            <td>
              <UserActions ctx={ctx} user={user} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function inviteState(ctx: PageContext, invite: InviteRow): string {
  if (invite.usedAt) return ctx.t('admin.invite_used', { date: formatDate(invite.usedAt, ctx.locale) })
  if (!invite.isUsable) return ctx.t('admin.invite_expired')
  return ctx.t('admin.invite_open', { date: formatDate(invite.expiresAt, ctx.locale) })
}

// The newest invites; the unused ones can be revoked.
function InvitesTable({ ctx, invites }: { ctx: PageContext; invites: InviteRow[] }) {
  const { t, locale } = ctx
  if (invites.length === 0) return null
  return (
    <table class="invites">
      <TableHead columns={[t('admin.col_created'), t('admin.col_status'), t('admin.col_actions')]} />
      <tbody>
        {invites.map(invite => (
          <tr>
            <td>{formatDate(invite.createdAt, locale)}</td>
            <td>{inviteState(ctx, invite)}</td>
            <td>
              {invite.isUsable && (
                <RowButton
                  ctx={ctx}
                  action={`/admin/invites/${invite.id}/delete`}
                  label={t('admin.invite_revoke')}
                  ariaLabel={t('admin.invite_revoke_numbered', { id: invite.id })}
                  danger
                />
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

type PageData = { list: UsersList; invites: InviteRow[] }

function UsersPage({ ctx, deps, view, data }: { ctx: PageContext; deps: AppDeps; view: UsersView; data: PageData }) {
  const { list } = data
  const { t } = ctx
  const errors = view.errors ?? {}
  const hrefFor = (n: number) => `/admin/users?${new URLSearchParams({ ...(view.q ? { q: view.q } : {}), page: String(n) })}`
  return (
    <section>
      <h1>{t('admin.users_heading')}</h1>
      <AdminNav ctx={ctx} />
      <p>{t(`admin.registration_${deps.config.registration}`)}</p>
      {view.notice && <LinkNotice ctx={ctx} notice={view.notice} />}
      <FormAlert t={t} errors={errors} />
      {/* biome-ignore lint/a11y/useSemanticElements: role=search on the form is announced by every browser; <search> only by those since 2023 */}
      <form method="get" action="/admin/users" class="inline-form" role="search">
        <TextField
          id="user-search"
          name="q"
          type="search"
          label={t('admin.search_label')}
          value={view.q}
          maxLength={userSearchRule.maxLength}
        />
        <button type="submit">{t('admin.search_submit')}</button>
      </form>
      <UsersTable ctx={ctx} users={list.items} />
      <Pagination t={t} page={view.pageNumber} perPage={list.perPage} total={list.total} hrefFor={hrefFor} />
      <h2>{t('admin.create_heading')}</h2>
      <form method="post" action="/admin/users" class="inline-form">
        <CsrfField ctx={ctx} />
        <TextField
          {...{ id: 'new-username', name: 'username', value: view.newUsername ?? '', error: errorText(t, errors, 'username') }}
          label={t('account.username')}
          required
          rule={usernameRule}
          hint={t('account.username_hint')}
        />
        <button type="submit">{t('admin.create_submit')}</button>
      </form>
      <h2>{t('admin.invite_heading')}</h2>
      <form method="post" action="/admin/invites" class="inline-form">
        <CsrfField ctx={ctx} />
        <button type="submit">{t('admin.invite_create')}</button>
      </form>
      <InvitesTable ctx={ctx} invites={data.invites} />
    </section>
  )
}

export async function renderUsersPage(deps: AppDeps, ctx: PageContext, view: UsersView, status = 200) {
  const [found, invites] = await Promise.all([
    listUsers(deps.db, deps.admins, { page: view.pageNumber, perPage, q: view.q }),
    listInvites(deps.db, { page: 1, perPage: 20 }),
  ])
  const data = { list: { ...found, perPage }, invites: invites.items }
  return renderPage(ctx, { title: ctx.t('admin.users_heading'), status }, <UsersPage ctx={ctx} deps={deps} view={view} data={data} />)
}
