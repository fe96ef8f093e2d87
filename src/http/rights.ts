import { forbidden } from './errors'

// Who is acting, as far as rights go: http/ needs no more of the account than this (any
// user record of auth/ fits it), so it never imports auth/.
export type Actor = { id: number; isAdmin: boolean }

// Owners edit and delete what they created; admins edit and delete anything. A thing
// whose owner deleted their account (ownerId null) is left to the admins.
export function canModify(actor: Actor | null | undefined, ownerId: number | null): boolean {
  return !!actor && (actor.isAdmin || (ownerId !== null && actor.id === ownerId))
}

export function assertCanModify(actor: Actor, ownerId: number | null, what = 'this') {
  if (!canModify(actor, ownerId)) throw forbidden('forbidden', `Only its owner or an admin may change ${what}`)
}
