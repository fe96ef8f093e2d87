import type { PageContext } from '../context'
import { safeNextPath } from '../next-path'
import { redirectTo } from '../respond'
import { renderCredentialsPage } from './credentials-page'

export function showLogin(ctx: PageContext): Response {
  const next = safeNextPath(ctx.url.searchParams.get('next'))
  if (ctx.user) return redirectTo(ctx, next)
  return renderCredentialsPage(ctx, 'login', { form: { username: '', password: '', next } })
}
