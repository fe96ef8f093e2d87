// Shared by the benchmarks: a fresh database seeded with a catalogue of Russian and
// English titles (and optionally reviews and ratings). The benches start the real server on
// it with test/helpers/server.ts, as the tests do.
import { sql } from 'drizzle-orm'
import { hashPassword } from '../src/auth/users'
import { createTitle } from '../src/catalogue/service'
import { loadConfig } from '../src/config'
import { openDatabase } from '../src/db/client'
import { migrateDatabase } from '../src/db/migrate'
import { ratings, reviews, users } from '../src/db/schema'

export const benchPassword = 'bench password 1'

export const ruWords = ['брат', 'ёлки', 'солнце', 'зима', 'город', 'война', 'любовь', 'море', 'дорога', 'ночь', 'сестра', 'небо']
export const enWords = ['brother', 'winter', 'city', 'night', 'road', 'love', 'sea', 'sky', 'war', 'river', 'star', 'dream']
const genres = ['драма', 'комедия', 'боевик', 'Drama', 'Comedy', 'Thriller', 'фантастика']

export function pick<T>(list: T[], n: number): T {
  return list[n % list.length]
}

function titleInput(i: number) {
  const isRussian = i % 2 === 0
  const words = isRussian ? ruWords : enWords
  const name = `${pick(words, i)} ${pick(words, Math.floor(i / 7))} ${i}`
  return {
    kind: (i % 5 === 0 ? 'series' : 'movie') as 'movie' | 'series',
    name: isRussian ? name[0].toUpperCase() + name.slice(1) : name,
    originalName: isRussian ? `${pick(enWords, i)} ${i}` : null,
    year: 1950 + (i % 75),
    description: `${pick(ruWords, i * 3)} ${pick(enWords, i * 5)} — описание фильма номер ${i}.`,
    genres: [pick(genres, i), pick(genres, i + 3)],
  }
}

// Users bench0..bench<n-1> (password benchPassword); titles owned by bench0; reviews spread
// so that no (title, user) pair repeats.
export async function seedCatalogue(iniPath: string, counts: { titles: number; reviews: number; users: number }) {
  const config = loadConfig(iniPath)
  await migrateDatabase(config.database)
  const { client, db } = openDatabase(config.database)
  const passwordHash = await hashPassword(benchPassword)
  const userRows = Array.from({ length: counts.users }, (_, i) => ({
    username: `bench${i}`,
    usernameKey: `bench${i}`,
    passwordHash,
  }))
  for (let i = 0; i < userRows.length; i += 500) await db.insert(users).values(userRows.slice(i, i + 500))
  const owner = { id: 1, username: 'bench0', isAdmin: false, createdAt: '' }
  for (let i = 0; i < counts.titles; i++) await createTitle(db, owner, titleInput(i))

  // Reviews and ratings: user u reviews titles so that no (title, user) pair repeats.
  let batch: { reviews: (typeof reviews.$inferInsert)[]; ratings: (typeof ratings.$inferInsert)[] } = { reviews: [], ratings: [] }
  const flush = async () => {
    if (batch.reviews.length === 0) return
    await db.batch([db.insert(reviews).values(batch.reviews), db.insert(ratings).values(batch.ratings)])
    batch = { reviews: [], ratings: [] }
  }
  for (let n = 0; n < counts.reviews; n++) {
    const titleId = (n % counts.titles) + 1
    const userId = ((Math.floor(n / counts.titles) * 37 + titleId) % counts.users) + 1
    const score = (n % 10) + 1
    batch.reviews.push({ titleId, userId, body: `Отзыв ${n}: ${pick(ruWords, n)} и ${pick(enWords, n)}.`, spoiler: n % 9 === 0 })
    batch.ratings.push({ titleId, userId, score })
    if (batch.reviews.length === 400) await flush()
  }
  await flush()
  await db.run(sql`UPDATE titles SET
    rating_sum = (SELECT COALESCE(SUM(score), 0) FROM ratings WHERE ratings.title_id = titles.id),
    rating_count = (SELECT COUNT(*) FROM ratings WHERE ratings.title_id = titles.id)`)
  client.close()
}
