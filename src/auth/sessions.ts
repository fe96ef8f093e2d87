// Sessions after the Lucia guide: the browser holds a random token; the database holds
// its SHA-256 as the session id. Expiry slides: a session used in its second half is
// extended. Every login makes a new session (no fixation); logout deletes it.
import { and, eq, isNull } from 'drizzle-orm'
import type { Db } from '../db/client'
import { sessions, users } from '../db/schema'
import { generateSecret, hashSecret } from './secrets'

export const sessionLifetimeMs = 30 * 24 * 60 * 60 * 1000
const renewWhenLeftMs = sessionLifetimeMs / 2
// "Last seen" in the list of one's sessions is written at most this often per session:
// one write a minute instead of one per request.
export const lastSeenResolutionMs = 60_000
// A User-Agent is display text for that list; longer ones are cut, not stored whole.
const maxUserAgentLength = 512

export type SessionRecord = { id: string; userId: number; expiresAtMs: number; csrfToken: string }
export type ValidSession = {
  session: SessionRecord
  user: { id: number; username: string; createdAt: string; isAdmin: boolean }
  isRenewed: boolean
}

export function newSession(userId: number, userAgent: string | null = null) {
  const token = generateSecret()
  const now = Date.now()
  const session = { id: hashSecret(token), userId, expiresAtMs: now + sessionLifetimeMs, csrfToken: generateSecret() }
  const row = { ...session, userAgent: userAgent?.slice(0, maxUserAgentLength) ?? null, lastSeenAtMs: now }
  return { token, session, row }
}

// `userAgent`: the browser's User-Agent header, shown in the list of the user's sessions.
export async function createSession(
  db: Db,
  userId: number,
  userAgent: string | null = null,
): Promise<{ token: string; session: SessionRecord }> {
  const { token, session, row } = newSession(userId, userAgent)
  await db.insert(sessions).values(row)
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
  const isSeenAgain = now - (row.session.lastSeenAtMs ?? 0) >= lastSeenResolutionMs
  if (isRenewed) row.session.expiresAtMs = now + sessionLifetimeMs
  if (isRenewed || isSeenAgain)
    await db.update(sessions).set({ expiresAtMs: row.session.expiresAtMs, lastSeenAtMs: now }).where(eq(sessions.id, id))
  return { session: row.session, user: row.user, isRenewed }
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId))
}
