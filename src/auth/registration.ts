// Who may create an account (server.ini `Registration`): anyone (`open`), only admins
// (`closed`: POST /api/v1/admin/users), or people holding an admin's invite (`invite`).
import { sql } from 'drizzle-orm'
import type { RegistrationMode } from '../config'
import type { Db } from '../db/client'
import { invites, users } from '../db/schema'
import { AppError, conflict, forbidden } from '../http/errors'
import { isInviteUsable } from './invites'
import { isUsableLink } from './secret-links'
import { hashSecret } from './secrets'
import { createUser, newUserValues } from './users'

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
// one batch (one write transaction) inserts the user only while the invite is unused and
// unexpired, then marks it used by that user. A batch runs its statements without
// awaiting in between, so no other request's writes can interleave; the second of two
// racing batches finds the invite used and its insert fails on the NOT NULL password
// hash. A taken username fails the insert too, and the invite stays usable.
async function registerWithInvite(db: Db, input: Registration) {
  const invite = input.invite ?? ''
  // Checked first so a bad link costs no password hashing; the batch checks again.
  if (invite === '' || !(await isInviteUsable(db, invite))) throw inviteInvalid()
  const values = await newUserValues(input)
  const usable = isUsableLink(invites, invite)
  const passwordHashIfInvited = sql`CASE WHEN EXISTS (SELECT 1 FROM ${invites} WHERE ${usable}) THEN ${values.passwordHash} END`
  try {
    const [created] = await db.batch([
      db.insert(users).values({ ...values, passwordHash: passwordHashIfInvited }).returning(),
      db
        .update(invites)
        .set({ usedAt: new Date().toISOString(), usedBy: sql`last_insert_rowid()` })
        .where(sql`${invites.tokenHash} = ${hashSecret(invite)} AND ${invites.usedAt} IS NULL`)
        .returning({ id: invites.id }),
    ])
    return created[0]
  } catch (error) {
    throw refusalOf(error, values.username) ?? error
  }
}

function refusalOf(error: unknown, username: string): AppError | null {
  const message = String((error as Error)?.message)
  if (/NOT NULL constraint failed: users\.password_hash/.test(message)) return inviteInvalid()
  if (/UNIQUE constraint failed: users\.username_key/.test(message))
    return conflict('username_taken', `The username "${username}" is taken`)
  return null
}
