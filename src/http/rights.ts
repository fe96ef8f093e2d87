import type { User } from '../auth/users'
import { forbidden } from './errors'

// Owners edit and delete what they created; admins edit and delete anything. A thing
// whose owner deleted their account (ownerId null) is left to the admins.
export function canModify(user: User | null | undefined, ownerId: number | null): boolean {
  return !!user && (user.isAdmin || (ownerId !== null && user.id === ownerId))
}

export function assertCanModify(user: User, ownerId: number | null, what = 'this') {
  if (!canModify(user, ownerId)) throw forbidden('forbidden', `Only its owner or an admin may change ${what}`)
}
