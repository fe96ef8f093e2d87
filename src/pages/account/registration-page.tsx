// The registration page for each `Registration` mode: the form (open, or invite with a
// usable invite), or a sentence saying why there is none (closed; invite missing or spent).
import { isInviteUsable } from '../../auth/invites'
import type { AppDeps } from '../../deps'
import type { PageContext } from '../context'
import type { CredentialsForm } from './credentials-form'
import { renderPage } from '../respond'
import type { FormErrors } from '../ui/form'
import { renderCredentialsPage } from './credentials-page'

type Refusal = 'closed' | 'invite_needed' | 'invite_invalid'

function NoRegistration({ ctx, refusal }: { ctx: PageContext; refusal: Refusal }) {
  const { t } = ctx
  return (
    <section class="narrow">
      <h1>{t('account.register_heading')}</h1>
      <p role="status">{t(`registration.${refusal}`)}</p>
      <p>
        <a href="/login">{t('account.have_account')}</a>
      </p>
    </section>
  )
}

export function renderNoRegistration(ctx: PageContext, refusal: Refusal, status = 200) {
  return renderPage(ctx, { title: ctx.t('account.register_heading'), status }, <NoRegistration ctx={ctx} refusal={refusal} />)
}

export async function renderRegistration(
  deps: AppDeps,
  ctx: PageContext,
  attempt: { form: CredentialsForm; errors?: FormErrors; status?: number },
) {
  const mode = deps.config.registration
  if (mode === 'closed') return renderNoRegistration(ctx, 'closed', attempt.status)
  if (mode === 'invite') {
    const invite = attempt.form.invite ?? ''
    if (invite === '') return renderNoRegistration(ctx, 'invite_needed', attempt.status)
    if (!(await isInviteUsable(deps.db, invite))) return renderNoRegistration(ctx, 'invite_invalid', attempt.status)
  }
  return renderCredentialsPage(ctx, 'register', attempt)
}
