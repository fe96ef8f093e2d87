// A database from before the search index kept word stems: the server migrates it and
// fills the new index at start-up, so titles written back then are found by word forms too.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { migrate } from 'drizzle-orm/libsql/migrator'
import { loadConfig } from '../src/config'
import { openDatabase } from '../src/db/client'
import { migrationsFolder } from '../src/db/migrate'
import { startServer, type TestServer, writeIni } from './helpers/server'

type Journal = { entries: { idx: number; tag: string }[] }

// The migrations folder as it was before the stems: the journal cut before that migration.
function migrationsBeforeStems(): string {
  const folder = mkdtempSync(join(tmpdir(), 'moviepoint-old-migrations-'))
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as Journal
  const cut = journal.entries.findIndex(entry => entry.tag.endsWith('titles_search_stems'))
  expect(cut).toBeGreaterThan(0)
  const entries = journal.entries.slice(0, cut)
  mkdirSync(join(folder, 'meta'))
  writeFileSync(join(folder, 'meta/_journal.json'), JSON.stringify({ ...journal, entries }))
  for (const { tag } of entries) copyFileSync(join(migrationsFolder, `${tag}.sql`), join(folder, `${tag}.sql`))
  return folder
}

// Titles written the old way: folded words only in a three-column index.
async function writeOldDatabase(dir: string) {
  const { client, db } = openDatabase(loadConfig(writeIni(dir)).database)
  try {
    await migrate(db, { migrationsFolder: migrationsBeforeStems() })
    await db.run(sql`INSERT INTO users (username, username_key, password_hash) VALUES ('old', 'old', 'x')`)
    const old = [
      [1, 'Брат', 'Brother', 'Старый фильм'],
      [2, 'Улицы разбитых фонарей', null, 'Сериал про улицы'],
      [3, 'Run', null, 'Keeps running'],
    ] as const
    for (const [id, name, originalName, description] of old) {
      await db.run(sql`INSERT INTO titles (id, kind, name, original_name, description, name_key, owner_id)
        VALUES (${id}, 'movie', ${name}, ${originalName}, ${description}, ${name.toLowerCase()}, 1)`)
      await db.run(sql`INSERT INTO titles_search (rowid, name, original_name, description)
        VALUES (${id}, ${name.toLowerCase()}, ${(originalName ?? '').toLowerCase()}, ${description.toLowerCase()})`)
    }
  } finally {
    client.close()
  }
}

let server: TestServer

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'moviepoint-test-'))
  await writeOldDatabase(dir)
  server = await startServer({ dir })
})
afterAll(() => server.stop())

async function names(q: string): Promise<string[]> {
  const answer = await fetch(`${server.url}/api/v1/titles?q=${encodeURIComponent(q)}`)
  return ((await answer.json()) as { items: { name: string }[] }).items.map(item => item.name)
}

test('titles from before the stems are found by other word forms after the upgrade', async () => {
  expect(await names('брата')).toEqual(['Брат'])
  expect(await names('фонари')).toEqual(['Улицы разбитых фонарей'])
  expect(await names('runs')).toEqual(['Run'])
  expect(await names('brothers')).toEqual(['Брат'])
})

test('they are still found as before, once each', async () => {
  expect(await names('брат')).toEqual(['Брат'])
  expect(await names('улиц')).toEqual(['Улицы разбитых фонарей'])
  expect((await (await fetch(`${server.url}/api/v1/titles`)).json()).total).toBe(3)
})
