// The rules a new username must meet, in one place for the API and the pages: no invisible
// characters (stripped), 3–32 letters, digits, _ . -, and no look-alike of an existing name.
// Look-alikes are found by the UTS #39 skeleton (https://www.unicode.org/reports/tr39/#def-skeleton):
// "аdmin0" with a Cyrillic а and "admin0" have the same one.
import { eq, isNull, type SQL, sql } from 'drizzle-orm'
import type { Db } from '../db/client'
import type { UserRow } from '../db/rows'
import { users } from '../db/schema'
import { type ErrorCode, badRequest, conflict } from '../http/errors'
import { stripInvisible } from '../text/invisible'
import { confusablePairs } from './confusables-table'
import { usernameRegExp, usernameRule } from './rules'

// What is stored: the name without bidi or zero-width characters, in NFC.
export function cleanUsername(username: string): string {
  return stripInvisible(username).normalize('NFC')
}

// "Ivan" and "ivan" are one account; invisible characters are not part of a name.
export function usernameKey(username: string): string {
  return cleanUsername(username).toLowerCase()
}

export type UsernameProblem = 'length' | 'characters' | null

// For a name already cleaned (cleanUsername).
export function usernameProblem(username: string): UsernameProblem {
  const length = [...username].length
  if (length < usernameRule.minLength || length > usernameRule.maxLength) return 'length'
  return usernameRegExp.test(username) ? null : 'characters'
}

let prototypes: Map<string, string> | undefined
// Parsed on first use (6,500 pairs, about a millisecond), not at every start of a worker.
// Keyed by the character (one code point) it replaces.
function prototypeOf(char: string): string | undefined {
  prototypes ??= new Map(
    confusablePairs.split(';').map(pair => {
      const [from, to] = pair.split(' ')
      return [
        String.fromCodePoint(Number.parseInt(from, 16)),
        String.fromCodePoint(...to.split('.').map(point => Number.parseInt(point, 16))),
      ]
    }),
  )
  return prototypes.get(char)
}

// UTS #39 skeleton: NFD, default-ignorable code points removed, each character replaced by
// its prototype, NFD again.
export function skeleton(text: string): string {
  let mapped = ''
  for (const char of text.normalize('NFD').replace(/\p{Default_Ignorable_Code_Point}/gu, '')) mapped += prototypeOf(char) ?? char
  return mapped.normalize('NFD')
}

// The key two look-alike usernames share: the skeleton of the account key (the lower-cased
// name), since names that differ only in case are one account: "АDMIN0" with a Cyrillic А
// meets "admin0" as "аdmin0" does. (The price: "Ivan" is not matched with "lvan".)
export function usernameSkeleton(username: string): string {
  return skeleton(usernameKey(username))
}

// Rows made before the column existed get theirs at start-up: only rows still without one
// are read, so after the first start this is one indexed query that finds nothing.
export async function fillUsernameSkeletons(db: Db): Promise<number> {
  const rows = await db.select({ id: users.id, username: users.username }).from(users).where(isNull(users.usernameSkeleton))
  if (rows.length === 0) return 0
  const updates = rows.map(row =>
    db
      .update(users)
      .set({ usernameSkeleton: usernameSkeleton(row.username) })
      .where(eq(users.id, row.id)),
  )
  await db.batch(updates as [(typeof updates)[number], ...typeof updates])
  return rows.length
}

const problemMessages = {
  length: `must be ${usernameRule.minLength}–${usernameRule.maxLength} characters (without invisible ones)`,
  characters: 'only letters, digits, _ . - are allowed',
}

// Why a new username is refused, besides a bad length (`invalid_input`): characters, taken, a look-alike.
export const usernameRefusalCodes = ['invalid_username', 'username_taken', 'username_confusable'] as const satisfies readonly ErrorCode[]

// The name to store, or a 400 naming the field.
export function checkedUsername(username: string): string {
  const clean = cleanUsername(username)
  const problem = usernameProblem(clean)
  if (problem === 'length') throw badRequest('invalid_input', `Invalid field "username": ${problemMessages.length}`)
  if (problem === 'characters') throw badRequest('invalid_username', `Invalid field "username": ${problemMessages.characters}`)
  return clean
}

type NewUser = { username: string; passwordHash: string }

// One statement checks both the account key and the skeleton and inserts: SQLite runs it
// as one write, so of two look-alike names registered at the same instant only one gets in.
// `onlyIf` is a further condition checked in the same statement (an invite still usable).
// It yields the new row's id, or nothing when refused; usernameRefusal says why.
export function insertUserQuery(db: Db, input: NewUser, onlyIf?: SQL) {
  const lookAlike = usernameSkeleton(input.username)
  return db.all<{ id: number }>(sql`
    INSERT INTO users (username, username_key, password_hash, username_skeleton)
    SELECT ${input.username}, ${usernameKey(input.username)}, ${input.passwordHash}, ${lookAlike}
    WHERE NOT EXISTS (SELECT 1 FROM users WHERE username_skeleton = ${lookAlike})${onlyIf ? sql` AND ${onlyIf}` : sql``}
    ON CONFLICT DO NOTHING
    RETURNING id`)
}

// Why a name was not inserted: taken (same account key), or a look-alike of another.
export async function usernameRefusal(db: Db, username: string) {
  const sameKey = await db.query.users.findFirst({ where: eq(users.usernameKey, usernameKey(username)), columns: { id: true } })
  if (sameKey) return conflict('username_taken', `The username "${username}" is taken`)
  return conflict('username_confusable', `The username "${username}" looks like an existing name; choose another`)
}

export async function findInsertedUser(db: Db, inserted: { id: number }[], username: string): Promise<UserRow> {
  const row = inserted[0] && (await db.query.users.findFirst({ where: eq(users.id, inserted[0].id) }))
  if (!row) throw await usernameRefusal(db, username)
  return row
}

export async function insertNewUser(db: Db, input: NewUser): Promise<UserRow> {
  return findInsertedUser(db, await insertUserQuery(db, input), input.username)
}
