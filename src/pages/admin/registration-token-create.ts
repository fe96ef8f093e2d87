import { registrationLabelRule } from '../../admin/rules'
import { makeRegistrationToken } from '../../admin/runners'
import type { AppDeps } from '../../deps'
import type { PageContext } from '../context'
import { fieldText } from '../ui/form'
import { adminOrRefusal } from './guard'
import { renderRunnersPage } from './runners-page'

// Answered with the page itself, not a redirect: the token exists only in this answer.
export async function createRegistrationTokenFromPage(deps: AppDeps, ctx: PageContext, body: unknown) {
  const guard = adminOrRefusal(ctx)
  if ('refusal' in guard) return guard.refusal
  const label = fieldText(body, 'label').trim()
  if (label === '' || label.length > registrationLabelRule.maxLength)
    return renderRunnersPage(deps, ctx, { label, errors: { label: label === '' ? 'form.required' : 'form.too_long' } }, 400)
  const created = await makeRegistrationToken(deps, { label, createdBy: guard.admin.id, requestUrl: ctx.url.href })
  return renderRunnersPage(deps, ctx, { created }, 201)
}
