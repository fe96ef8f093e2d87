// What admins do to accounts: list them, disable and enable, promote and demote, create
// one (Registration=closed). admins.txt names the first admins: nobody can demote or
// disable them here, and an admin cannot lock themselves out.
import { asc, count, eq, like, max, sql } from 'drizzle-orm'
import type { Admins } from '../config'
import type { Db } from '../db/client'
import { apiTokens, sessions, titles, users } from '../db/schema'
import { type ErrorCode, conflict, forbidden, notFound } from '../http/errors'
import { type Paging, offsetOf } from '../http/model'
import { createPasswordReset } from './password-resets'
import { createUser, usernameKey } from './users'

export type AdminSource = 'admins.txt' | 'promoted' | null

// Why changeUser refuses: nobody disables or demotes themselves, and admins.txt admins stay admins.
export const userChangeRefusalCodes = [
  'cannot_disable_self',
  'cannot_demote_self',
  'admin_in_admins_file',
] as const satisfies readonly ErrorCode[]

// Correlated subqueries: drizzle writes columns in a select without their table, so the
// outer user's id is named in full.
const outerUserId = sql`${users}.${sql.identifier(users.id.name)}`
const titlesCount = sql<number>`(SELECT count(*) FROM ${titles} WHERE ${titles.ownerId} = ${outerUserId})`
const lastSeenAtMs = sql<number | null>`(SELECT ${max(sessions.lastSeenAtMs)} FROM ${sessions} WHERE ${sessions.userId} = ${outerUserId})`

const listedColumns = {
  id: users.id,
  username: users.username,
  isPromoted: users.isAdmin,
  disabledAt: users.disabledAt,
  createdAt: users.createdAt,
  titlesCount,
  lastSeenAtMs,
}

type ListedRow = {
  id: number
  username: string
  isPromoted: boolean
  disabledAt: string | null
  createdAt: string
  titlesCount: number
  lastSeenAtMs: number | null
}

function adminSourceOf(row: { id: number; isPromoted: boolean }, admins: Admins): AdminSource {
  if (admins.ids.has(row.id)) return 'admins.txt'
  return row.isPromoted ? 'promoted' : null
}

export function toAdminUser(row: ListedRow, admins: Admins) {
  const adminSource = adminSourceOf(row, admins)
  return {
    id: row.id,
    username: row.username,
    isAdmin: adminSource !== null,
    adminSource,
    disabled: row.disabledAt !== null,
    disabledAt: row.disabledAt,
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAtMs === null ? null : new Date(row.lastSeenAtMs).toISOString(),
    titlesCount: Number(row.titlesCount),
  }
}
export type AdminUser = ReturnType<typeof toAdminUser>

// `q` finds usernames containing it, whatever the case (LIKE wildcards in it are literal).
export async function listUsers(db: Db, admins: Admins, query: Paging & { q?: string }) {
  const q = query.q?.trim()
  const where = q ? like(users.usernameKey, `%${usernameKey(q).replace(/[\\%_]/g, '\\$&')}%`) : undefined
  const escaped = where ? sql`${where} ESCAPE '\\'` : undefined
  const [rows, [{ total }]] = await Promise.all([
    db.select(listedColumns).from(users).where(escaped).orderBy(asc(users.id)).limit(query.perPage).offset(offsetOf(query)),
    db.select({ total: count() }).from(users).where(escaped),
  ])
  return { items: rows.map(row => toAdminUser(row, admins)), total }
}

export async function findAdminUser(db: Db, admins: Admins, id: number): Promise<AdminUser> {
  const [row] = await db.select(listedColumns).from(users).where(eq(users.id, id))
  if (!row) throw notFound('user_not_found', `There is no user ${id}`)
  return toAdminUser(row, admins)
}

export type UserChange = { disabled?: boolean; isAdmin?: boolean }

// Applies the change, refusing (409) what would lock out the actor or overrule admins.txt.
export async function changeUser(db: Db, admins: Admins, actorId: number, id: number, change: UserChange) {
  const target = await findAdminUser(db, admins, id)
  const isChangingSelf = id === actorId
  if (change.disabled === true && isChangingSelf) throw conflict('cannot_disable_self', 'You cannot disable your own account')
  if (change.disabled === true && target.adminSource === 'admins.txt')
    throw conflict('admin_in_admins_file', `User ${id} is an admin in admins.txt; remove the id there first`)
  if (change.isAdmin === false && target.adminSource === 'admins.txt')
    throw conflict('admin_in_admins_file', `User ${id} is an admin in admins.txt and cannot be demoted here; remove the id there`)
  if (change.isAdmin === false && isChangingSelf) throw conflict('cannot_demote_self', 'You cannot remove your own admin rights')
  if (change.isAdmin !== undefined) await db.update(users).set({ isAdmin: change.isAdmin }).where(eq(users.id, id))
  if (change.disabled === true) await disableUser(db, id)
  if (change.disabled === false) await db.update(users).set({ disabledAt: null }).where(eq(users.id, id))
  return findAdminUser(db, admins, id)
}

// A password link is a way into the account, so an admins.txt admin's can be made only
// by an admins.txt admin: a promoted admin must not be able to take over the first admin.
export async function makePasswordLink(db: Db, admins: Admins, actorId: number, userId: number) {
  const target = await findAdminUser(db, admins, userId)
  if (target.adminSource === 'admins.txt' && !admins.ids.has(actorId))
    throw conflict(
      'admin_in_admins_file',
      `User ${userId} is an admin in admins.txt; only an admin listed there may make their password link`,
    )
  return { user: target, link: await createPasswordReset(db, userId, actorId) }
}

// One batch: the mark and the end of every session and API token land together.
async function disableUser(db: Db, id: number) {
  await db.batch([
    db
      .update(users)
      .set({ disabledAt: sql`coalesce(${users.disabledAt}, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))` })
      .where(eq(users.id, id)),
    db.delete(sessions).where(eq(sessions.userId, id)),
    db.delete(apiTokens).where(eq(apiTokens.userId, id)),
  ])
}

// An account made by an admin: with the password they chose, or (none given) an unusable
// random one until the person sets theirs through a one-time link.
export async function createAccount(db: Db, admins: Admins, actorId: number, input: { username: string; password?: string }) {
  const password = input.password ?? crypto.randomUUID() + crypto.randomUUID()
  const row = await createUser(db, { username: input.username, password })
  const link = input.password ? null : await createPasswordReset(db, row.id, actorId)
  return { user: await findAdminUser(db, admins, row.id), link }
}

// Sign-in of a disabled account, after its password was found right: 403, so the person
// learns to ask an admin (a wrong password still gets the plain 401, so this tells
// nothing to someone guessing). Their sessions and tokens were deleted when disabled.
export function refuseDisabled(row: { disabledAt: string | null }) {
  if (row.disabledAt !== null) throw forbidden('account_disabled', 'This account is disabled; ask an admin')
}
