import type { User } from '../auth/users'
import { forbidden } from './errors'

// Owners edit and delete what they created; admins (admins.txt) edit and delete anything.
export function canModify(user: User | null | undefined, ownerId: number): boolean {
  return !!user && (user.isAdmin || user.id === ownerId)
}

export function assertCanModify(user: User, ownerId: number, what = 'this') {
  if (!canModify(user, ownerId)) throw forbidden('forbidden', `Only its owner or an admin may change ${what}`)
}
