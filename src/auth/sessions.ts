// Sessions after the Lucia guide: the browser holds a random token; the database holds
// its SHA-256 as the session id. Expiry slides: a session used in its second half is
// extended. Every login makes a new session (no fixation); logout deletes it.
import { and, eq, isNull } from 'drizzle-orm'
import type { Db } from '../db/client'
import { sessions, users } from '../db/schema'
import { generateSecret, hashSecret } from './secrets'

export const sessionLifetimeMs = 30 * 24 * 60 * 60 * 1000
const renewWhenLeftMs = sessionLifetimeMs / 2

export type SessionRecord = { id: string; userId: number; expiresAtMs: number; csrfToken: string }
export type ValidSession = {
  session: SessionRecord
  user: { id: number; username: string; createdAt: string; isAdmin: boolean }
  isRenewed: boolean
}

export async function createSession(db: Db, userId: number): Promise<{ token: string; session: SessionRecord }> {
  const token = generateSecret()
  const session = { id: hashSecret(token), userId, expiresAtMs: Date.now() + sessionLifetimeMs, csrfToken: generateSecret() }
  await db.insert(sessions).values(session)
  return { token, session }
}

export async function validateSessionToken(db: Db, token: string): Promise<ValidSession | null> {
  const id = hashSecret(token)
  const [row] = await db
    .select({
      session: sessions,
      user: { id: users.id, username: users.username, createdAt: users.createdAt, isAdmin: users.isAdmin },
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    // Disabling deletes a user's sessions; this refuses one that slipped past (made by a
    // sign-in racing the disabling).
    .where(and(eq(sessions.id, id), isNull(users.disabledAt)))
  if (!row) return null
  const now = Date.now()
  if (now >= row.session.expiresAtMs) {
    await db.delete(sessions).where(eq(sessions.id, id))
    return null
  }
  const isRenewed = now >= row.session.expiresAtMs - renewWhenLeftMs
  if (isRenewed) {
    row.session.expiresAtMs = now + sessionLifetimeMs
    await db.update(sessions).set({ expiresAtMs: row.session.expiresAtMs }).where(eq(sessions.id, id))
  }
  return { session: row.session, user: row.user, isRenewed }
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId))
}
