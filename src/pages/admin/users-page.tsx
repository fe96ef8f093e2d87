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
import { type Column, DataTable } from '../ui/table'
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

// "ivan", or "ivan (you)" on the admin's own row.
function shownName(ctx: PageContext, user: AdminUser): string {
  return user.id === ctx.user?.id ? `${user.username} (${ctx.t('admin.you')})` : user.username
}

function UsersTable({ ctx, users }: { ctx: PageContext; users: AdminUser[] }) {
  const { t, locale } = ctx
  const columns: Column<AdminUser>[] = [
    { heading: t('admin.col_username'), cell: user => shownName(ctx, user), isRowHeader: true },
    { heading: t('admin.col_role'), cell: user => roleOf(ctx, user) },
    { heading: t('admin.col_status'), cell: user => (user.disabled ? t('admin.status_disabled') : t('admin.status_active')) },
    { heading: t('admin.col_titles'), cell: user => user.titlesCount },
    { heading: t('admin.col_created'), cell: user => formatDate(user.createdAt, locale) },
    { heading: t('admin.col_actions'), cell: user => <UserActions ctx={ctx} user={user} /> },
  ]
  return (
    <DataTable
      class="users"
      columns={columns}
      items={users}
      empty={t('admin.none_found')}
      rowAttributes={user => ({ 'data-user-id': user.id })}
    />
  )
}

function inviteState(ctx: PageContext, invite: InviteRow): string {
  if (invite.usedAt) return ctx.t('admin.invite_used', { date: formatDate(invite.usedAt, ctx.locale) })
  if (!invite.isUsable) return ctx.t('admin.invite_expired')
  return ctx.t('admin.invite_open', { date: formatDate(invite.expiresAt, ctx.locale) })
}

// Revoking deletes the link: it lets no one in any more.
function RevokeInviteButton({ ctx, invite }: { ctx: PageContext; invite: InviteRow }) {
  const label = ctx.t('admin.invite_revoke')
  const ariaLabel = ctx.t('admin.invite_revoke_numbered', { id: invite.id })
  return <RowButton ctx={ctx} action={`/admin/invites/${invite.id}/delete`} label={label} ariaLabel={ariaLabel} danger />
}

// The newest invites; the unused ones can be revoked.
function InvitesTable({ ctx, invites }: { ctx: PageContext; invites: InviteRow[] }) {
  const { t, locale } = ctx
  const columns: Column<InviteRow>[] = [
    { heading: t('admin.col_created'), cell: invite => formatDate(invite.createdAt, locale) },
    { heading: t('admin.col_status'), cell: invite => inviteState(ctx, invite) },
    { heading: t('admin.col_actions'), cell: invite => invite.isUsable && <RevokeInviteButton ctx={ctx} invite={invite} /> },
  ]
  return <DataTable class="invites" columns={columns} items={invites} empty={null} />
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
