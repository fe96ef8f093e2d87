import { and, desc, eq, isNull } from 'drizzle-orm'
import type { Db } from '../db/client'
import { apiTokens, users } from '../db/schema'
import { notFound } from '../http/errors'
import { generateSecret, hashSecret } from './secrets'

// The prefix makes leaked tokens easy to recognise (secret scanners, logs).
const tokenPrefix = 'mp_'

export async function createApiToken(db: Db, userId: number, name: string) {
  const token = tokenPrefix + generateSecret()
  const [row] = await db
    .insert(apiTokens)
    .values({ userId, name, tokenHash: hashSecret(token) })
    .returning({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt })
  return { ...row, token }
}

export async function listApiTokens(db: Db, userId: number) {
  return db
    .select({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt })
    .from(apiTokens)
    .where(eq(apiTokens.userId, userId))
    .orderBy(desc(apiTokens.id))
}

export async function deleteApiToken(db: Db, userId: number, tokenId: number) {
  const deleted = await db
    .delete(apiTokens)
    .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, userId)))
    .returning({ id: apiTokens.id })
  if (deleted.length === 0) throw notFound('token_not_found', `You have no API token ${tokenId}`)
}

// The token's user, recording the use; null for an unknown or revoked token, or one of a
// disabled user (disabling deletes their tokens; this also refuses one that slipped past).
export async function useApiToken(db: Db, token: string) {
  const [row] = await db
    .update(apiTokens)
    .set({ lastUsedAt: new Date().toISOString() })
    .where(eq(apiTokens.tokenHash, hashSecret(token)))
    .returning({ userId: apiTokens.userId })
  if (!row) return null
  return db.query.users.findFirst({
    where: and(eq(users.id, row.userId), isNull(users.disabledAt)),
    columns: { id: true, username: true, createdAt: true, isAdmin: true },
  })
}
