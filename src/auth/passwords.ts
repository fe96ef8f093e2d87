// Confirming the password of a signed-in user (before a password change or an account
// deletion) and changing it. A wrong password here is a failed credential check like a
// failed sign-in: it is counted per user and per client address and throttled the same
// way, on the same budgets, so a stolen session cannot be used to guess the password
// without limit.
import { and, eq, isNull } from 'drizzle-orm'
import type { Db } from '../db/client'
import { passwordResets, sessions, users } from '../db/schema'
import { AppError } from '../http/errors'
import { type SessionRecord, newSession } from './sessions'
import type { AccountThrottle } from './throttle'
import { hashPassword } from './users'

// Returns when `password` is the user's; 401 `invalid_credentials` when it is not, 429
// while throttled. The server's sign-in throttle counts it (per user and client address,
// per client address, and the user's delay), keyed by the user's id: these names cannot
// collide with a username, which has no colon.
export async function confirmPassword(
  deps: { db: Db; throttle: AccountThrottle },
  input: { userId: number; password: string; clientAddress: string },
): Promise<void> {
  const attempt = deps.throttle.startSignIn(`id:${input.userId}`, input.clientAddress)
  try {
    const isRight = await isPasswordOf(deps.db, input.userId, input.password)
    await attempt.waitUntilDue()
    attempt.settle(isRight)
    if (!isRight) throw new AppError('invalid_credentials', 'The current password is wrong')
  } finally {
    attempt.release()
  }
}

async function isPasswordOf(db: Db, userId: number, password: string): Promise<boolean> {
  const row = await db.query.users.findFirst({ where: eq(users.id, userId), columns: { passwordHash: true } })
  return row !== undefined && (await Bun.password.verify(password, row.passwordHash))
}

export type RotatedSession = { token: string; session: SessionRecord }

// A password change is a change of privilege (OWASP session management): every session of
// the user ends, and the one the change came from, if any, goes on under a new id and CSRF
// token (same user, same browser). Unused one-time reset links of the user die too. One
// transaction: there is no moment when the new password works beside an old session.
export async function changePassword(
  db: Db,
  input: { userId: number; newPassword: string; current: { userAgent: string | null } | null },
): Promise<RotatedSession | null> {
  const passwordHash = await hashPassword(input.newPassword)
  const rotated = input.current ? newSession(input.userId, input.current.userAgent) : null
  await db.batch([
    db.update(users).set({ passwordHash }).where(eq(users.id, input.userId)),
    db.delete(sessions).where(eq(sessions.userId, input.userId)),
    db.delete(passwordResets).where(and(eq(passwordResets.userId, input.userId), isNull(passwordResets.usedAt))),
    ...(rotated ? [db.insert(sessions).values(rotated.row)] : []),
  ])
  return rotated && { token: rotated.token, session: rotated.session }
}
