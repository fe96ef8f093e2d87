// Who may create an account (server.ini `Registration`): anyone (`open`), only admins
// (`closed`: POST /api/v1/admin/users), or people holding an admin's invite (`invite`).
import { sql } from 'drizzle-orm'
import type { RegistrationMode } from '../config'
import type { Db } from '../db/client'
import { invites } from '../db/schema'
import { forbidden } from '../http/errors'
import { isInviteUsable } from './invites'
import { isUsableLink } from './secret-links'
import { hashSecret } from './secrets'
import { checkedUsername, findInsertedUser, insertUserQuery } from './usernames'
import { createUser, hashPassword } from './users'

export type Registration = { username: string; password: string; invite?: string }

export const registrationClosed = () =>
  forbidden('registration_closed', 'Registration is closed on this server: an admin creates accounts')
export const inviteInvalid = () =>
  forbidden('invite_invalid', 'Registration needs an invite link from an admin; this one is missing, used, revoked or expired')

export async function registerAccount(db: Db, mode: RegistrationMode, input: Registration) {
  if (mode === 'closed') throw registrationClosed()
  if (mode === 'invite') return registerWithInvite(db, input)
  return createUser(db, input)
}

// The invite is used exactly once even when many register with it at the same moment:
// one batch (one write transaction, no other request's writes in between) inserts the user
// only while the invite is usable (and the name free of look-alikes), then marks the invite
// used by that user only if that insert happened. The second of two racing batches finds
// the invite used and inserts nothing. A taken username inserts nothing either, and the
// invite stays usable.
async function registerWithInvite(db: Db, input: Registration) {
  const invite = input.invite ?? ''
  // Checked first so a bad link costs no password hashing; the batch checks again.
  if (invite === '' || !(await isInviteUsable(db, invite))) throw inviteInvalid()
  const username = checkedUsername(input.username)
  const passwordHash = await hashPassword(input.password)
  const [inserted] = await db.batch([
    insertUserQuery(db, { username, passwordHash }, sql`EXISTS (SELECT 1 FROM ${invites} WHERE ${isUsableLink(invites, invite)})`),
    db
      .update(invites)
      .set({ usedAt: new Date().toISOString(), usedBy: sql`last_insert_rowid()` })
      // changes(): rows the insert just made (0 when it was refused).
      .where(sql`${invites.tokenHash} = ${hashSecret(invite)} AND ${invites.usedAt} IS NULL AND changes() = 1`),
  ])
  if (inserted.length === 0 && !(await isInviteUsable(db, invite))) throw inviteInvalid()
  return findInsertedUser(db, inserted, username)
}
