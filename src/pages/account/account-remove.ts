// The account deletion form: the password confirms it (throttled like a sign-in), the
// user's choice decides about their titles, and the browser is signed out.
import { countOwnedTitles, deleteAccount } from '../../auth/account-deletion'
import { clearSessionCookies } from '../../auth/plugin'
import type { AppDeps } from '../../deps'
import type { PageContext } from '../context'
import { accountDeletionFormOf, validateAccountDeletion } from './password-form'
import { redirectTo, redirectToSignIn } from '../respond'
import type { FormErrors } from '../ui/form'
import { renderAccountDeletePage } from './account-delete-page'
import { formOrPasswordRefusal } from './password-confirm'
import type { CookieJar } from './session'

type DeletionHttp = { body: unknown; cookie: unknown; clientAddress: string }

export async function removeAccount(deps: AppDeps, ctx: PageContext, http: DeletionHttp) {
  const user = ctx.user
  if (!user) return redirectToSignIn(ctx)
  const form = accountDeletionFormOf(http.body)
  const showErrors = async (errors: FormErrors, status: number) =>
    renderAccountDeletePage(ctx, { form, errors, ownedTitles: await countOwnedTitles(deps.db, user.id) }, status)
  const password = { userId: user.id, password: form.password, clientAddress: http.clientAddress, field: 'password' }
  const refusal = await formOrPasswordRefusal(deps, validateAccountDeletion(form), password)
  if (refusal) return showErrors(refusal.errors, refusal.status)
  await deleteAccount(deps.store, user, { keepTitles: form.titles === 'keep' })
  clearSessionCookies(http.cookie as CookieJar, deps.config.publicUrl)
  return redirectTo(ctx, '/')
}
