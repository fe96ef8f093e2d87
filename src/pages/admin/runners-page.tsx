// Remote runners for admins (issue 14): make a registration token (shown this once, with the
// command a runner host runs), delete one, and see every runner with when and from where it
// was last seen and the job it runs now, with a revoke button.
import { registrationLabelRule } from '../../admin/rules'
import type { AppDeps } from '../../deps'
import { listRegistrationTokens, listRunners } from '../../runners/tokens'
import type { PageContext } from '../context'
import { renderPage } from '../respond'
import { CsrfField, FormAlert, type FormErrors, RowButton, TextField, formBinding } from '../ui/form'
import { formatDateTime } from '../ui/format'
import { SecretNotice } from '../ui/secret-notice'
import { TableHead } from '../ui/table'
import { AdminNav } from './admin-nav'

export const runnersPath = '/admin/runners'

export type CreatedRegistration = { label: string; command: string }
export type RunnersView = { created?: CreatedRegistration; label?: string; errors?: FormErrors }

type TokenRow = Awaited<ReturnType<typeof listRegistrationTokens>>[number]
type RunnerRow = Awaited<ReturnType<typeof listRunners>>[number]

// A deleted registration token registers no more runners; those it registered keep working.
function DeleteTokenButton({ ctx, token }: { ctx: PageContext; token: TokenRow }) {
  const label = ctx.t('runners.token_delete')
  const ariaLabel = ctx.t('runners.token_delete_named', { label: token.label })
  return <RowButton ctx={ctx} action={`${runnersPath}/tokens/${token.id}/delete`} label={label} ariaLabel={ariaLabel} danger />
}

function TokensTable({ ctx, tokens }: { ctx: PageContext; tokens: TokenRow[] }) {
  const { t, locale } = ctx
  if (tokens.length === 0) return <p>{t('runners.no_tokens')}</p>
  return (
    <table class="registration-tokens">
      <TableHead columns={[t('runners.col_label'), t('runners.col_created')]} actions={t('admin.col_actions')} />
      <tbody>
        {tokens.map(token => (
          <tr>
            <td>{token.label}</td>
            <td>{formatDateTime(token.createdAt, locale)}</td>
            <td>
              <DeleteTokenButton ctx={ctx} token={token} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function CurrentJob({ ctx, job }: { ctx: PageContext; job: RunnerRow['currentJob'] }) {
  if (!job) return <>{ctx.t('runners.idle')}</>
  return <a href="/admin/queue">{ctx.t('runners.job', { id: job.id, mediaId: job.mediaId })}</a>
}

// A revoked runner's token is refused; its row stays, to show when and from where it was last seen.
function RevokeButton({ ctx, runner }: { ctx: PageContext; runner: RunnerRow }) {
  const label = ctx.t('runners.revoke')
  const ariaLabel = ctx.t('runners.revoke_named', { name: runner.name })
  return <RowButton ctx={ctx} action={`${runnersPath}/${runner.id}/revoke`} label={label} ariaLabel={ariaLabel} danger />
}

const runnerColumns = ['name', 'last_seen', 'address', 'status', 'job'] as const

function RunnersTable({ ctx, runners }: { ctx: PageContext; runners: RunnerRow[] }) {
  const { t, locale } = ctx
  if (runners.length === 0) return <p>{t('runners.none')}</p>
  const columns = runnerColumns.map(column => t(`runners.col_${column}`))
  return (
    <table class="runners">
      <TableHead columns={columns} actions={t('admin.col_actions')} />
      <tbody>
        {runners.map(runner => (
          <tr data-runner-id={runner.id}>
            <th scope="row">{runner.name}</th>
            <td data-label={columns[1]}>{runner.lastSeenAt ? formatDateTime(runner.lastSeenAt, locale) : t('runners.never_seen')}</td>
            <td data-label={columns[2]}>{runner.lastAddress ?? '—'}</td>
            <td data-label={columns[3]}>
              {runner.revokedAt ? t('runners.revoked', { date: formatDateTime(runner.revokedAt, locale) }) : t('runners.active')}
            </td>
            <td data-label={columns[4]}>
              <CurrentJob ctx={ctx} job={runner.currentJob} />
            </td>
            <td>{!runner.revokedAt && <RevokeButton ctx={ctx} runner={runner} />}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

// The command carries the new registration token: the runner host runs it as it is.
function CreatedNotice({ ctx, created }: { ctx: PageContext; created: CreatedRegistration }) {
  const message = ctx.t('runners.created', { label: created.label })
  return <SecretNotice id="runner-command" secret={created.command} copyLabel={ctx.t('runners.copy_now')} message={message} />
}

type PageData = { tokens: TokenRow[]; runners: RunnerRow[] }

function RunnersPage({ ctx, view, data }: { ctx: PageContext; view: RunnersView; data: PageData }) {
  const { t } = ctx
  const errors = view.errors ?? {}
  const bind = formBinding(t, { label: view.label }, errors)
  return (
    <section>
      <h1>{t('runners.heading')}</h1>
      <AdminNav ctx={ctx} />
      <p>{t('runners.explain')}</p>
      {view.created && <CreatedNotice ctx={ctx} created={view.created} />}
      <FormAlert t={t} errors={errors} />
      <RunnersTable ctx={ctx} runners={data.runners} />
      <h2>{t('runners.tokens_heading')}</h2>
      <form method="post" action={`${runnersPath}/tokens`} class="inline-form">
        <CsrfField ctx={ctx} />
        <TextField
          {...bind('label', 'registration-label')}
          label={t('runners.label')}
          required
          rule={registrationLabelRule}
          hint={t('runners.label_hint')}
        />
        <button type="submit">{t('runners.token_create')}</button>
      </form>
      <TokensTable ctx={ctx} tokens={data.tokens} />
    </section>
  )
}

export async function renderRunnersPage(deps: AppDeps, ctx: PageContext, view: RunnersView, status = 200) {
  const [tokens, runners] = await Promise.all([listRegistrationTokens(deps.db), listRunners(deps.db)])
  return renderPage(ctx, { title: ctx.t('runners.heading'), status }, <RunnersPage ctx={ctx} view={view} data={{ tokens, runners }} />)
}
