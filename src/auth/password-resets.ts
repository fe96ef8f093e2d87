// One-time "set a new password" links an admin makes for a user (shown to the admin
// once, valid for a day). Using one sets the password and ends all the user's sessions.
import { and, eq, isNull, sql } from 'drizzle-orm'
import type { Db } from '../db/client'
import { passwordResets, sessions, users } from '../db/schema'
import { badRequest } from '../http/errors'
import { isUsableLink, newLinkSecret } from './secret-links'
import { hashPassword } from './users'

export const passwordResetLifetimeMs = 24 * 60 * 60 * 1000

export const passwordResetInvalid = () =>
  badRequest('password_reset_invalid', 'Invalid field "token": this password link is unknown, used or expired')

// Only the newest link of a user works: making one retires the earlier unused ones.
export async function createPasswordReset(db: Db, userId: number, createdBy: number | null) {
  const { token, tokenHash, expiresAtMs } = newLinkSecret(passwordResetLifetimeMs)
  await db.batch([
    db.delete(passwordResets).where(and(eq(passwordResets.userId, userId), isNull(passwordResets.usedAt))),
    db.insert(passwordResets).values({ tokenHash, userId, createdBy, expiresAtMs }),
  ])
  return { token, expiresAt: new Date(expiresAtMs).toISOString() }
}

export async function isPasswordResetUsable(db: Db, token: string): Promise<boolean> {
  const row = await db.query.passwordResets.findFirst({ where: isUsableLink(passwordResets, token), columns: { id: true } })
  return row !== undefined
}

// Sets the password of the link's user; the link works once. One batch (one write
// transaction, nothing interleaves) sets the password, ends the sessions and marks the
// link used, each only while it is still usable: of two racing uses, the second changes nothing.
export async function usePasswordReset(db: Db, token: string, password: string): Promise<number> {
  if (!(await isPasswordResetUsable(db, token))) throw passwordResetInvalid()
  const passwordHash = await hashPassword(password)
  const nowMs = Date.now()
  const userOfLink = sql`(SELECT ${passwordResets.userId} FROM ${passwordResets} WHERE ${isUsableLink(passwordResets, token, nowMs)})`
  const [, , used] = await db.batch([
    db.update(users).set({ passwordHash }).where(eq(users.id, userOfLink)),
    db.delete(sessions).where(eq(sessions.userId, userOfLink)),
    db
      .update(passwordResets)
      .set({ usedAt: new Date().toISOString() })
      .where(isUsableLink(passwordResets, token, nowMs))
      .returning({ userId: passwordResets.userId }),
  ])
  if (used.length === 0) throw passwordResetInvalid()
  return used[0].userId
}
