// API tokens of the signed-in user: create one (its secret is shown this once), see when
// each was last used, revoke.
import type { PageContext } from '../context'
import { renderPage } from '../respond'
import { formatDateTime } from '../ui/format'
import { tokenNameRule } from '../../auth/rules'
import { CsrfField, type FormErrors, FormAlert, PostButton, TextField, formBinding } from '../ui/form'
import { SecretNotice } from '../ui/secret-notice'
import { type Column, DataTable } from '../ui/table'

export type TokenRow = { id: number; name: string; createdAt: string; lastUsedAt: string | null }
export type CreatedToken = { name: string; token: string }

type TokensView = { tokens: TokenRow[]; created?: CreatedToken; name?: string; errors?: FormErrors }

function RevokeButton({ ctx, token }: { ctx: PageContext; token: TokenRow }) {
  const label = ctx.t('tokens.revoke')
  const ariaLabel = ctx.t('tokens.revoke_named', { name: token.name })
  return <PostButton ctx={ctx} action={`/account/tokens/${token.id}/delete`} label={label} ariaLabel={ariaLabel} buttonClass="danger" />
}

function TokenList({ ctx, tokens }: { ctx: PageContext; tokens: TokenRow[] }) {
  const { t, locale } = ctx
  const columns: Column<TokenRow>[] = [
    { heading: t('tokens.name'), cell: token => token.name },
    { heading: t('tokens.created_at'), cell: token => formatDateTime(token.createdAt, locale) },
    {
      heading: t('tokens.last_used'),
      cell: token => (token.lastUsedAt ? formatDateTime(token.lastUsedAt, locale) : t('tokens.never_used')),
    },
  ]
  const actions: Column<TokenRow> = { heading: t('tokens.actions'), cell: token => <RevokeButton ctx={ctx} token={token} /> }
  return <DataTable class="tokens" columns={columns} actions={actions} items={tokens} empty={t('tokens.none')} />
}

function NewTokenForm({ ctx, view }: { ctx: PageContext; view: TokensView }) {
  const { t } = ctx
  const errors = view.errors ?? {}
  const bind = formBinding(t, { name: view.name }, errors)
  return (
    <form method="post" action="/account/tokens" class="inline-form">
      <CsrfField ctx={ctx} />
      <FormAlert t={t} errors={errors} />
      <TextField {...bind('name', 'token-name')} label={t('tokens.new_name')} required rule={tokenNameRule} />
      <button type="submit" class="primary">
        {t('tokens.create')}
      </button>
    </form>
  )
}

function NewTokenNotice({ ctx, created }: { ctx: PageContext; created: CreatedToken }) {
  const message = ctx.t('tokens.created', { name: created.name })
  return <SecretNotice id="new-token" secret={created.token} copyLabel={ctx.t('tokens.copy_now')} message={message} />
}

function TokensPage({ ctx, view }: { ctx: PageContext; view: TokensView }) {
  const { t } = ctx
  return (
    <section>
      <h1>{t('tokens.heading')}</h1>
      <p>{t('tokens.explain')}</p>
      {view.created && <NewTokenNotice ctx={ctx} created={view.created} />}
      <NewTokenForm ctx={ctx} view={view} />
      <h2>{t('tokens.yours')}</h2>
      <TokenList ctx={ctx} tokens={view.tokens} />
    </section>
  )
}

export function renderTokensPage(ctx: PageContext, view: TokensView, status = 200) {
  return renderPage(ctx, { title: ctx.t('tokens.heading'), status }, <TokensPage ctx={ctx} view={view} />)
}
