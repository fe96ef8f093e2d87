import type { User } from '../../auth/users'
import { forbidden } from '../../http/errors'
import type { PageContext } from '../context'
import { redirectToSignIn } from '../respond'

// The signed-in admin, or the answer for anyone else: sign in first, or 403 (checked here,
// on the server, for every admin page and form post; the header link is only a convenience).
export function adminOrRefusal(ctx: PageContext): { admin: User } | { refusal: Response } {
  if (!ctx.user) return { refusal: redirectToSignIn(ctx) }
  if (!ctx.user.isAdmin) throw forbidden('admin_only', 'Only admins may do this')
  return { admin: ctx.user }
}
