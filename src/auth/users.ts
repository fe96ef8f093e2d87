import { eq } from 'drizzle-orm'
import type { Admins } from '../config'
import type { Db } from '../db/client'
import type { UserRow } from '../db/rows'
import { users } from '../db/schema'
import { checkedUsername, insertNewUser, usernameKey } from './usernames'

export type User = { id: number; username: string; isAdmin: boolean; createdAt: string }

// An admin is listed in admins.txt (the first admin, whom nobody can demote) or was
// promoted by an admin (users.isAdmin).
export function toUser(row: Pick<UserRow, 'id' | 'username' | 'createdAt' | 'isAdmin'>, admins: Admins): User {
  return { id: row.id, username: row.username, isAdmin: admins.ids.has(row.id) || row.isAdmin, createdAt: row.createdAt }
}

export { usernameKey }

// argon2id with OWASP's recommended parameters (19 MiB, 2 passes): Bun's default of
// 64 MiB per hash would make every sign-in cost the server 64 MiB of memory.
export const passwordHashOptions = { algorithm: 'argon2id', memoryCost: 19_456, timeCost: 2 } as const

export function hashPassword(password: string): Promise<string> {
  return Bun.password.hash(password, passwordHashOptions)
}

// A real hash to compare against when the username is unknown, so that a login for a
// missing user takes as long as one with a wrong password (no username probing by timing).
// Made on first use, not at start-up.
let decoyHash: Promise<string> | undefined
function getDecoyHash(): Promise<string> {
  decoyHash ??= hashPassword('decoy password never used')
  return decoyHash
}

// The name's rules and the insert that refuses a taken or look-alike name: src/auth/usernames.ts.
export async function createUser(db: Db, input: { username: string; password: string }): Promise<UserRow> {
  const username = checkedUsername(input.username)
  const passwordHash = await hashPassword(input.password)
  return insertNewUser(db, { username, passwordHash })
}

// The user when the password is right, otherwise null.
export async function verifyCredentials(db: Db, input: { username: string; password: string }): Promise<UserRow | null> {
  const row = await db.query.users.findFirst({ where: eq(users.usernameKey, usernameKey(input.username)) })
  const isValid = await Bun.password.verify(input.password, row?.passwordHash ?? (await getDecoyHash()))
  return row && isValid ? row : null
}
