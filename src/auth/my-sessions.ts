// The signed-in user's own sessions: the list (which browser, since when, last seen),
// ending one, ending all but the current one ("sign out everywhere else", as GitHub and
// Google offer it: the device in hand stays signed in), and the rotation a password change
// asks for. Sessions are named by the first 16 hex digits of their stored id: that id is
// the SHA-256 of the cookie's token, so it reveals nothing of the token, but the full key
// has no reason to travel through pages, URLs and logs. 64 bits are unique among one
// user's sessions, and every lookup is scoped to the user.
import { and, desc, eq, gt, ne, sql } from 'drizzle-orm'
import type { Db } from '../db/client'
import { sessions } from '../db/schema'
import { notFound } from '../http/errors'
import type { Viewer } from './plugin'
import { describeUserAgent } from './user-agent'

export const publicSessionIdPattern = '^[0-9a-f]{16}$'

// The session a request came with; none for a bearer token.
export function currentSessionId(viewer: Viewer | null): string | null {
  return viewer?.via === 'cookie' ? viewer.session.id : null
}

export function publicSessionId(storedId: string): string {
  return storedId.slice(0, 16)
}

export type SessionSummary = {
  id: string
  current: boolean
  userAgent: string | null
  browser: string | null
  os: string | null
  createdAt: string
  lastSeenAt: string | null
}

// Newest use first; sessions past their expiry are not shown (they no longer sign anyone in).
export async function listSessions(db: Db, userId: number, currentId: string | null): Promise<SessionSummary[]> {
  const rows = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), gt(sessions.expiresAtMs, Date.now())))
    .orderBy(desc(sessions.lastSeenAtMs), desc(sessions.createdAt))
  return rows.map(row => ({
    id: publicSessionId(row.id),
    current: row.id === currentId,
    userAgent: row.userAgent,
    ...describeUserAgent(row.userAgent),
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAtMs === null ? null : new Date(row.lastSeenAtMs).toISOString(),
  }))
}

// Ends one session of the user; returns its stored id (the caller clears the cookies when
// it was the current one). 404 for an id the user has no session for.
export async function revokeSession(db: Db, userId: number, publicId: string): Promise<string> {
  const [row] = await db
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), sql`substr(${sessions.id}, 1, 16) = ${publicId}`))
    .returning({ id: sessions.id })
  if (!row) throw notFound('session_not_found', `You have no session ${publicId}`)
  return row.id
}

// Every session of the user but `keepId` (all of them when it is null: a bearer request).
export async function revokeOtherSessions(db: Db, userId: number, keepId: string | null): Promise<number> {
  const condition = keepId === null ? eq(sessions.userId, userId) : and(eq(sessions.userId, userId), ne(sessions.id, keepId))
  const removed = await db.delete(sessions).where(condition).returning({ id: sessions.id })
  return removed.length
}
