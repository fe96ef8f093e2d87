// Remote runners for admins (issue 14): make a registration token (shown this once, with the
// command a runner host runs), delete one, and see every runner with when and from where it
// was last seen and the job it runs now, with a revoke button.
import { registrationLabelRule } from '../../admin/rules'
import type { AppDeps } from '../../deps'
import { listRegistrationTokens, listRunners } from '../../runners/tokens'
import type { PageContext } from '../context'
import { renderPage } from '../respond'
import { CsrfField, FormAlert, type FormErrors, RowButton, TextField, errorText } from '../ui/form'
import { formatDateTime } from '../ui/format'
import { SecretNotice } from '../ui/secret-notice'
import { type Column, DataTable } from '../ui/table'
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
  const columns: Column<TokenRow>[] = [
    { heading: t('runners.col_label'), cell: token => token.label },
    { heading: t('runners.col_created'), cell: token => formatDateTime(token.createdAt, locale) },
  ]
  const actions: Column<TokenRow> = { heading: t('admin.col_actions'), cell: token => <DeleteTokenButton ctx={ctx} token={token} /> }
  return <DataTable class="registration-tokens" columns={columns} actions={actions} items={tokens} empty={t('runners.no_tokens')} />
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

function lastSeen(ctx: PageContext, runner: RunnerRow): string {
  return runner.lastSeenAt ? formatDateTime(runner.lastSeenAt, ctx.locale) : ctx.t('runners.never_seen')
}

function runnerState(ctx: PageContext, runner: RunnerRow): string {
  return runner.revokedAt ? ctx.t('runners.revoked', { date: formatDateTime(runner.revokedAt, ctx.locale) }) : ctx.t('runners.active')
}

// The narrow layout stacks a runner's cells, each under its column's name (data-label).
function RunnersTable({ ctx, runners }: { ctx: PageContext; runners: RunnerRow[] }) {
  const { t } = ctx
  const columns: Column<RunnerRow>[] = [
    { heading: t('runners.col_name'), cell: runner => runner.name, isRowHeader: true },
    { heading: t('runners.col_last_seen'), cell: runner => lastSeen(ctx, runner) },
    { heading: t('runners.col_address'), cell: runner => runner.lastAddress ?? '—' },
    { heading: t('runners.col_status'), cell: runner => runnerState(ctx, runner) },
    { heading: t('runners.col_job'), cell: runner => <CurrentJob ctx={ctx} job={runner.currentJob} /> },
  ]
  const actions: Column<RunnerRow> = {
    heading: t('admin.col_actions'),
    cell: runner => !runner.revokedAt && <RevokeButton ctx={ctx} runner={runner} />,
  }
  return (
    <DataTable
      class="runners"
      columns={columns}
      actions={actions}
      items={runners}
      empty={t('runners.none')}
      rowAttributes={runner => ({ 'data-runner-id': runner.id })}
      hasCellLabels
    />
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
          id="registration-label"
          name="label"
          label={t('runners.label')}
          value={view.label ?? ''}
          required
          rule={registrationLabelRule}
          error={errorText(t, errors, 'label')}
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
