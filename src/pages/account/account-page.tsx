// The account page of the signed-in user: change the password, see where the account is
// signed in (and sign those browsers out), links to API tokens and to account deletion.
import type { SessionSummary } from '../../auth/my-sessions'
import type { MessageKey, Translate } from '../../i18n'
import type { PageContext } from '../context'
import { renderPage } from '../respond'
import { formatDateTime } from '../ui/format'
import { CsrfField, type FormErrors, FormAlert, PasswordField, PostButton } from '../ui/form'
import { TableHead } from '../ui/table'

// What a redirect back here says was done (`?done=`): a fixed set, never text from the URL.
const notices: Record<string, MessageKey> = {
  password: 'account_self.password_changed',
  sessions: 'account_self.signed_out_elsewhere',
  session: 'account_self.session_ended',
}

export type AccountView = { sessions: SessionSummary[]; passwordErrors?: FormErrors }

function PasswordSection({ ctx, errors }: { ctx: PageContext; errors: FormErrors }) {
  const { t } = ctx
  return (
    <section aria-labelledby="password-heading">
      <h2 id="password-heading">{t('account_self.password_heading')}</h2>
      <form method="post" action="/account/password" class="stack account-form" novalidate>
        <CsrfField ctx={ctx} />
        <FormAlert t={t} errors={errors} />
        <PasswordField t={t} id="current-password" name="currentPassword" label={t('account_self.current_password')} errors={errors} />
        <PasswordField t={t} id="new-password" name="newPassword" label={t('account_self.new_password')} errors={errors} isNew />
        <p class="hint">{t('account_self.password_ends_sessions')}</p>
        <button type="submit" class="primary">
          {t('account_self.change_password')}
        </button>
      </form>
    </section>
  )
}

// "Firefox on Windows"; the raw User-Agent is in the cell's title for the curious.
export function deviceName(t: Translate, session: Pick<SessionSummary, 'browser' | 'os' | 'userAgent'>): string {
  if (!session.userAgent) return t('sessions.unknown_device')
  const browser = session.browser ?? t('sessions.unknown_browser')
  return session.os ? t('sessions.device', { browser, os: session.os }) : browser
}

function SessionRow({ ctx, session }: { ctx: PageContext; session: SessionSummary }) {
  const { t, locale } = ctx
  const device = deviceName(t, session)
  return (
    <tr aria-current={session.current ? 'true' : undefined}>
      <td title={session.userAgent ?? undefined}>{device}</td>
      <td>{formatDateTime(session.createdAt, locale)}</td>
      <td>{session.lastSeenAt ? formatDateTime(session.lastSeenAt, locale) : '—'}</td>
      <td>
        {session.current ? (
          <strong>{t('sessions.this_one')}</strong>
        ) : (
          <PostButton
            ctx={ctx}
            action={`/account/sessions/${session.id}/delete`}
            label={t('sessions.end')}
            ariaLabel={t('sessions.end_named', { device })}
            buttonClass="danger"
          />
        )}
      </td>
    </tr>
  )
}

function SessionsSection({ ctx, sessions }: { ctx: PageContext; sessions: SessionSummary[] }) {
  const { t } = ctx
  const hasOthers = sessions.some(session => !session.current)
  return (
    <section aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">{t('sessions.heading')}</h2>
      <table class="tokens">
        <TableHead
          columns={[t('sessions.device_column'), t('sessions.signed_in'), t('sessions.last_seen')]}
          actions={t('tokens.actions')}
        />
        <tbody>
          {sessions.map(session => (
            <SessionRow ctx={ctx} session={session} />
          ))}
        </tbody>
      </table>
      {hasOthers && (
        <PostButton
          ctx={ctx}
          action="/account/sessions/delete"
          label={t('sessions.end_others')}
          buttonClass="danger"
          formClass="actions end-sessions"
        />
      )}
    </section>
  )
}

// The id is what admins.txt lists: the README's first steps send a new admin here for it.
function Identity({ ctx }: { ctx: PageContext }) {
  const { t, user } = ctx
  if (!user) return null
  return (
    <p class="identity">
      <strong id="user-id">{t('account_self.user_id', { id: user.id })}</strong>{' '}
      <span class="hint">{user.isAdmin ? t('account_self.is_admin') : t('account_self.user_id_hint')}</span>
    </p>
  )
}

function AccountPage({ ctx, view }: { ctx: PageContext; view: AccountView }) {
  const { t } = ctx
  const notice = notices[ctx.url.searchParams.get('done') ?? '']
  return (
    <section>
      <h1>{t('account_self.heading', { username: ctx.user?.username ?? '' })}</h1>
      <Identity ctx={ctx} />
      {notice && (
        <p class="notice" role="status">
          {t(notice)}
        </p>
      )}
      <p class="actions">
        <a href="/account/tokens">{t('tokens.heading')}</a>
        <a href="/account/delete">{t('account_delete.heading')}</a>
      </p>
      <PasswordSection ctx={ctx} errors={view.passwordErrors ?? {}} />
      <SessionsSection ctx={ctx} sessions={view.sessions} />
    </section>
  )
}

export function renderAccountPage(ctx: PageContext, view: AccountView, status = 200) {
  const title = ctx.t('account_self.heading', { username: ctx.user?.username ?? '' })
  return renderPage(ctx, { title, status }, <AccountPage ctx={ctx} view={view} />)
}
