import type { PageRequest } from '../context'
import { safeNextPath } from '../next-path'
import { redirectTo } from '../respond'
import { renderCredentialsPage } from './credentials-page'

export function showLogin(page: PageRequest): Response {
  const next = safeNextPath(page.url.searchParams.get('next'))
  if (page.user) return redirectTo(page, next)
  return renderCredentialsPage(page, 'login', { form: { username: '', password: '', next } })
}
