// "Set a new password" from an admin's one-time link: the form, the sentence that the link
// is spent, or the confirmation with the way to sign in.
import type { PageContext } from '../context'
import { renderPage } from '../respond'
import { CsrfField, type FormErrors, FormAlert, PasswordField } from '../ui/form'

export type PasswordResetView = { state: 'form'; token: string; errors?: FormErrors } | { state: 'invalid' | 'done' }

function PasswordResetPage({ ctx, view }: { ctx: PageContext; view: PasswordResetView }) {
  const { t } = ctx
  if (view.state !== 'form')
    return (
      <section class="narrow">
        <h1>{t('password_reset.heading')}</h1>
        <p role="status">{view.state === 'done' ? t('password_reset.done') : t('password_reset.invalid')}</p>
        <p>
          <a href="/login">{t('nav.sign_in')}</a>
        </p>
      </section>
    )
  const errors = view.errors ?? {}
  return (
    <section class="narrow">
      <h1>{t('password_reset.heading')}</h1>
      <form method="post" action="/password-reset" class="stack" novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="token" value={view.token} />
        <FormAlert t={t} errors={errors} />
        <PasswordField t={t} id="new-password" name="password" label={t('password_reset.new_password')} errors={errors} isNew />
        <button type="submit" class="primary">
          {t('password_reset.submit')}
        </button>
      </form>
    </section>
  )
}

export function renderPasswordResetPage(ctx: PageContext, view: PasswordResetView, status = 200) {
  return renderPage(ctx, { title: ctx.t('password_reset.heading'), status }, <PasswordResetPage ctx={ctx} view={view} />)
}
