// The number of SQL statements behind a list or a document does not grow with its size
// (no N+1). A quick unit check on the services with a counting drizzle logger; the
// behaviour itself is covered against the real server in catalogue/search/reviews tests.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient } from '@libsql/client'
import { drizzle } from 'drizzle-orm/libsql'
import type { User } from '../src/auth/users'
import { createEpisode, createSeason, createTitle, getTitle, listTitles } from '../src/catalogue/service'
import type { Db } from '../src/db/client'
import { migrateDatabase } from '../src/db/migrate'
import * as schema from '../src/db/schema'
import { createReview, listReviews, rateTitle } from '../src/reviews/service'

const dir = mkdtempSync(join(tmpdir(), 'moviepoint-queries-'))
const url = `file:${join(dir, 'queries.db')}`
const client = createClient({ url })
let statements = 0
const db = drizzle(client, {
  schema,
  casing: 'snake_case',
  logger: {
    logQuery: () => {
      statements += 1
    },
  },
}) as Db
const users: User[] = []

async function countStatements(run: () => Promise<unknown>): Promise<number> {
  statements = 0
  await run()
  return statements
}

beforeAll(async () => {
  await migrateDatabase({ url, isEmbedded: true })
  for (let i = 0; i < 120; i++) {
    const [row] = await db
      .insert(schema.users)
      .values({ username: `u${i}`, usernameKey: `u${i}`, passwordHash: 'x' })
      .returning()
    users.push({ id: row.id, username: row.username, isAdmin: false, createdAt: row.createdAt })
  }
  for (let i = 0; i < 120; i++) await createTitle(db, users[0], { kind: 'movie', name: `Фильм ${i}`, genres: ['драма'] })
  const series = await createTitle(db, users[0], { kind: 'series', name: 'Сериал', genres: ['драма'] })
  for (let s = 1; s <= 3; s++) {
    const season = await createSeason(db, users[0], series.id, { number: s })
    for (let e = 1; e <= 10; e++) await createEpisode(db, users[0], season.id, { number: e, name: `Серия ${e}` })
  }
  for (const user of users.slice(0, 60)) {
    await rateTitle(db, user, series.id, 7)
    await createReview(db, user, series.id, { body: 'Отзыв' })
  }
})
afterAll(() => {
  client.close()
  rmSync(dir, { recursive: true, force: true })
})

test('a title list page costs at most 3 statements, whatever its size and filters', async () => {
  const shapes = [
    { perPage: 1 },
    { perPage: 100 },
    { perPage: 100, q: 'фильм' },
    { perPage: 100, q: 'фильм', genre: 'Драма', sort: 'rating' as const },
    { perPage: 100, kind: 'movie' as const, sort: 'name' as const, page: 2 },
  ]
  for (const query of shapes) {
    const counted = await countStatements(() => listTitles(db, query, users[1].id))
    expect({ query, isAtMostThree: counted <= 3 }).toEqual({ query, isAtMostThree: true })
  }
})

test('the same page asked again is served with one statement (ids and total remembered)', async () => {
  const query = { q: 'фильм', perPage: 50, page: 2 }
  await listTitles(db, query, users[2].id)
  expect(await countStatements(() => listTitles(db, query, users[2].id))).toBe(1)
})

test('a series document with 3 seasons of 10 episodes costs 3 statements', async () => {
  const series = (await listTitles(db, { q: 'сериал' }, null)).items[0]
  expect(await countStatements(() => getTitle(db, series.id, users[1].id))).toBe(3)
})

test('a page of 50 reviews costs 3 statements', async () => {
  const series = (await listTitles(db, { q: 'сериал' }, null)).items[0]
  expect(await countStatements(() => listReviews(db, series.id, { perPage: 50 }))).toBe(3)
})
