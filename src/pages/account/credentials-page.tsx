// The sign-in and registration pages: one form each, errors next to the fields.
import { signInUsernameRule, usernameRule } from '../../auth/rules'
import type { PageContext } from '../context'
import type { CredentialsForm } from './credentials-form'
import { renderPage } from '../respond'
import { CsrfField, type FormErrors, FormAlert, PasswordField, TextField, formBinding } from '../ui/form'

type Mode = 'register' | 'login'

// A new name follows the username rule; the name typed to sign in is only capped.
function usernameField(ctx: PageContext, isRegister: boolean) {
  return isRegister ? { rule: usernameRule, hint: ctx.t('account.username_hint') } : { rule: signInUsernameRule }
}

function CredentialsPage({ ctx, mode, form, errors }: { ctx: PageContext; mode: Mode; form: CredentialsForm; errors: FormErrors }) {
  const { t } = ctx
  const isRegister = mode === 'register'
  const bind = formBinding(t, form, errors)
  return (
    <section class="narrow">
      <h1>{isRegister ? t('account.register_heading') : t('account.sign_in_heading')}</h1>
      <form method="post" action={isRegister ? '/register' : '/login'} class="stack" novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="next" value={form.next} />
        {isRegister && form.invite ? <input type="hidden" name="invite" value={form.invite} /> : null}
        <FormAlert t={t} errors={errors} />
        <TextField
          {...bind('username')}
          label={t('account.username')}
          required
          autocomplete="username"
          {...usernameField(ctx, isRegister)}
        />
        <PasswordField t={t} id="password" name="password" label={t('account.password')} errors={errors} isNew={isRegister} />
        <button type="submit" class="primary">
          {isRegister ? t('account.register_submit') : t('account.sign_in_submit')}
        </button>
      </form>
      <p>
        {isRegister ? (
          <a href="/login">{t('account.have_account')}</a>
        ) : (
          ctx.offersRegistration && <a href="/register">{t('account.no_account')}</a>
        )}
      </p>
    </section>
  )
}

export function renderCredentialsPage(
  ctx: PageContext,
  mode: Mode,
  attempt: { form: CredentialsForm; errors?: FormErrors; status?: number },
) {
  const title = mode === 'register' ? ctx.t('account.register_heading') : ctx.t('account.sign_in_heading')
  const body = <CredentialsPage ctx={ctx} mode={mode} form={attempt.form} errors={attempt.errors ?? {}} />
  return renderPage(ctx, { title, status: attempt.status }, body)
}
