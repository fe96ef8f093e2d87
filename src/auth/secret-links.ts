// One-time links (invites, password resets): the secret travels in the link and only its
// SHA-256 is stored, as for sessions. A link is usable while unused and unexpired.
import { and, eq, gt, isNull, type SQL } from 'drizzle-orm'
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core'
import { generateSecret, hashSecret } from './secrets'

export function newLinkSecret(lifetimeMs: number) {
  const token = generateSecret()
  return { token, tokenHash: hashSecret(token), expiresAtMs: Date.now() + lifetimeMs }
}

type LinkColumns = { tokenHash: SQLiteColumn; usedAt: SQLiteColumn; expiresAtMs: SQLiteColumn }

// The row of this secret, if it can still be used now.
export function isUsableLink(table: LinkColumns, token: string, nowMs = Date.now()): SQL {
  return and(eq(table.tokenHash, hashSecret(token)), isNull(table.usedAt), gt(table.expiresAtMs, nowMs)) as SQL
}

export const invitePath = '/register'
export const passwordResetPath = '/password-reset'

// The address a person opens: PublicUrl when set (behind a proxy the request's own host
// may be an internal one), else the origin the admin's request came to.
export function linkUrl(base: { publicUrl: string | null; requestUrl: string }, path: string, query: Record<string, string>) {
  const origin = base.publicUrl ?? new URL(base.requestUrl).origin
  return `${origin}${path}?${new URLSearchParams(query)}`
}
