// "Delete my account": what goes, what the user decides about their titles, and the
// password as the confirmation. No default for the titles (see password-form.ts).
import type { PageContext } from '../context'
import type { AccountDeletionForm } from './password-form'
import { renderPage } from '../respond'
import { CsrfField, type FormErrors, FormAlert, FormActions, PasswordField, errorText } from '../ui/form'

type DeletionView = { form: AccountDeletionForm; errors: FormErrors; ownedTitles: number }

function TitlesChoice({ ctx, view }: { ctx: PageContext; view: DeletionView }) {
  const { t } = ctx
  const error = errorText(t, view.errors, 'titles')
  const choice = (value: 'keep' | 'delete', label: string) => (
    <div class="field checkbox">
      <input id={`titles-${value}`} type="radio" name="titles" value={value} checked={view.form.titles === value} required />
      <label for={`titles-${value}`}>{label}</label>
    </div>
  )
  return (
    <fieldset class={error ? 'has-error' : undefined} aria-describedby={error ? 'titles-error' : undefined}>
      <legend>{t('account_delete.titles_legend', { count: view.ownedTitles })}</legend>
      {choice('keep', t('account_delete.keep_titles'))}
      {choice('delete', t('account_delete.delete_titles'))}
      {error && (
        <small id="titles-error" class="field-error">
          {error}
        </small>
      )}
    </fieldset>
  )
}

function AccountDeletePage({ ctx, view }: { ctx: PageContext; view: DeletionView }) {
  const { t } = ctx
  return (
    <section class="narrow">
      <h1>{t('account_delete.heading')}</h1>
      <p>{t('account_delete.explain')}</p>
      <form method="post" action="/account/delete" class="stack" novalidate>
        <CsrfField ctx={ctx} />
        <FormAlert t={t} errors={view.errors} />
        <TitlesChoice ctx={ctx} view={view} />
        <PasswordField t={t} id="delete-password" name="password" label={t('account_delete.password')} errors={view.errors} />
        <FormActions submit={t('account_delete.submit')} cancel={{ href: '/account', label: t('account_delete.cancel') }} danger />
      </form>
    </section>
  )
}

export function renderAccountDeletePage(ctx: PageContext, view: DeletionView, status = 200) {
  return renderPage(ctx, { title: ctx.t('account_delete.heading'), status }, <AccountDeletePage ctx={ctx} view={view} />)
}
