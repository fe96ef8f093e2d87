// Single-use sign-up links for Registration=invite. The admin sees the link once; the
// database keeps its hash, who made it, and who used it when.
import { count, desc, eq } from 'drizzle-orm'
import type { Db } from '../db/client'
import { invites } from '../db/schema'
import { notFound } from '../http/errors'
import { type Paging, offsetOf } from '../http/model'
import { isUsableLink, newLinkSecret } from './secret-links'

export const inviteLifetimeMs = 7 * 24 * 60 * 60 * 1000

export async function createInvite(db: Db, createdBy: number) {
  const { token, tokenHash, expiresAtMs } = newLinkSecret(inviteLifetimeMs)
  const [row] = await db.insert(invites).values({ tokenHash, createdBy, expiresAtMs }).returning({ id: invites.id })
  return { id: row.id, token, expiresAt: new Date(expiresAtMs).toISOString() }
}

export async function isInviteUsable(db: Db, token: string): Promise<boolean> {
  const row = await db.query.invites.findFirst({ where: isUsableLink(invites, token), columns: { id: true } })
  return row !== undefined
}

export async function listInvites(db: Db, paging: Paging) {
  const [rows, [{ total }]] = await Promise.all([
    db.query.invites.findMany({ orderBy: desc(invites.id), limit: paging.perPage, offset: offsetOf(paging) }),
    db.select({ total: count() }).from(invites),
  ])
  const nowMs = Date.now()
  const items = rows.map(row => ({
    id: row.id,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    expiresAt: new Date(row.expiresAtMs).toISOString(),
    usedAt: row.usedAt,
    usedBy: row.usedBy,
    isUsable: row.usedAt === null && row.expiresAtMs > nowMs,
  }))
  return { items, total }
}

// Revoking deletes the link: its secret then matches nothing.
export async function deleteInvite(db: Db, id: number) {
  const deleted = await db.delete(invites).where(eq(invites.id, id)).returning({ id: invites.id })
  if (deleted.length === 0) throw notFound('invite_not_found', `There is no invite ${id}`)
}
