import type { User } from '../../auth/users'
import { forbidden } from '../../http/errors'
import type { PageRequest } from '../context'
import { redirectToSignIn } from '../respond'

// The signed-in admin, or the answer for anyone else: sign in first, or 403 (checked here,
// on the server, for every admin page and form post; the header link is only a convenience).
export function adminOrRefusal(page: PageRequest): { admin: User } | { refusal: Response } {
  if (!page.user) return { refusal: redirectToSignIn(page) }
  if (!page.user.isAdmin) throw forbidden('admin_only', 'Only admins may do this')
  return { admin: page.user }
}
