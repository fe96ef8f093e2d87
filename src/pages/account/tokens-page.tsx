// API tokens of the signed-in user: create one (its secret is shown this once), see when
// each was last used, revoke.
import type { PageRequest } from '../context'
import { renderPage } from '../respond'
import { formatDateTime } from '../ui/format'
import { tokenNameRule } from '../../auth/rules'
import { CsrfField, type FormErrors, FormAlert, PostButton, TextField, errorText } from '../ui/form'
import { TableHead } from '../ui/table'

export type TokenRow = { id: number; name: string; createdAt: string; lastUsedAt: string | null }
export type CreatedToken = { name: string; token: string }

type TokensView = { tokens: TokenRow[]; created?: CreatedToken; name?: string; errors?: FormErrors }

function NewTokenNotice({ page, created }: { page: PageRequest; created: CreatedToken }) {
  const { t } = page
  return (
    <div class="notice" role="status">
      <p>{t('tokens.created', { name: created.name })}</p>
      <label for="new-token">{t('tokens.copy_now')}</label>
      <input id="new-token" class="token" type="text" readonly value={created.token} />
    </div>
  )
}

function TokenList({ page, tokens }: { page: PageRequest; tokens: TokenRow[] }) {
  const { t, locale } = page
  if (tokens.length === 0) return <p>{t('tokens.none')}</p>
  return (
    <table class="tokens">
      <TableHead columns={[t('tokens.name'), t('tokens.created_at'), t('tokens.last_used')]} actions={t('tokens.actions')} />
      <tbody>
        {tokens.map(token => (
          <tr>
            <td>{token.name}</td>
            <td>{formatDateTime(token.createdAt, locale)}</td>
            <td>{token.lastUsedAt ? formatDateTime(token.lastUsedAt, locale) : t('tokens.never_used')}</td>
            <td>
              <PostButton
                page={page}
                action={`/account/tokens/${token.id}/delete`}
                label={t('tokens.revoke')}
                ariaLabel={t('tokens.revoke_named', { name: token.name })}
                buttonClass="danger"
              />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function TokensPage({ page, view }: { page: PageRequest; view: TokensView }) {
  const { t } = page
  const errors = view.errors ?? {}
  return (
    <section>
      <h1>{t('tokens.heading')}</h1>
      <p>{t('tokens.explain')}</p>
      {view.created && <NewTokenNotice page={page} created={view.created} />}
      <form method="post" action="/account/tokens" class="inline-form">
        <CsrfField page={page} />
        <FormAlert t={t} errors={errors} />
        <TextField
          id="token-name"
          name="name"
          label={t('tokens.new_name')}
          value={view.name ?? ''}
          required
          rule={tokenNameRule}
          error={errorText(t, errors, 'name')}
        />
        <button type="submit" class="primary">
          {t('tokens.create')}
        </button>
      </form>
      <h2>{t('tokens.yours')}</h2>
      <TokenList page={page} tokens={view.tokens} />
    </section>
  )
}

export function renderTokensPage(page: PageRequest, view: TokensView, status = 200) {
  return renderPage(page, { title: page.t('tokens.heading'), status }, <TokensPage page={page} view={view} />)
}
