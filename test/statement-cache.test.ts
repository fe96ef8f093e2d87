// The per-connection cache of prepared statements under @libsql/client (src/db/statement-cache.ts):
// reused statements give the same answers as fresh ones, with new arguments each time.
import { afterAll, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'libsql'
import { openDatabase } from '../src/db/client'

const dir = mkdtempSync(join(tmpdir(), 'moviepoint-statements-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('a connection prepares each SQL text once and reuses it; another connection has its own', () => {
  openDatabase({ url: `file:${join(dir, 'a.db')}`, isEmbedded: true }).client.close()
  const one = new Database(':memory:')
  const two = new Database(':memory:')
  expect(one.prepare('SELECT ? AS n')).toBe(one.prepare('SELECT ? AS n'))
  expect(one.prepare('SELECT ? AS n')).not.toBe(one.prepare('SELECT ? AS m'))
  expect(two.prepare('SELECT ? AS n')).not.toBe(one.prepare('SELECT ? AS n'))
  one.close()
  two.close()
})

test('through the client: reused statements bind new arguments, see new rows, and run inside transactions', async () => {
  const { client } = openDatabase({ url: `file:${join(dir, 'b.db')}`, isEmbedded: true })
  try {
    await client.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)')
    const insert = (name: string) => client.execute({ sql: 'INSERT INTO t (name) VALUES (?)', args: [name] })
    const namesAfter = async (id: number) =>
      (await client.execute({ sql: 'SELECT name FROM t WHERE id > ? ORDER BY id', args: [id] })).rows.map(row => row.name)
    for (const name of ['Брат', 'Ёлки', 'Sky']) await insert(name)
    expect(await namesAfter(0)).toEqual(['Брат', 'Ёлки', 'Sky'])
    expect(await namesAfter(2)).toEqual(['Sky'])
    const transaction = await client.transaction('write')
    await transaction.execute({ sql: 'INSERT INTO t (name) VALUES (?)', args: ['Море'] })
    await transaction.commit()
    expect(await namesAfter(2)).toEqual(['Sky', 'Море'])
    const [columns] = [(await client.execute({ sql: 'SELECT id, name FROM t WHERE id = ?', args: [1] })).columns]
    expect(columns).toEqual(['id', 'name'])
  } finally {
    client.close()
  }
})

test('a statement reused after a schema change names the columns as they are now', async () => {
  const { client } = openDatabase({ url: `file:${join(dir, 'c.db')}`, isEmbedded: true })
  try {
    await client.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)')
    await client.execute("INSERT INTO t (name) VALUES ('Брат')")
    expect((await client.execute('SELECT * FROM t')).columns).toEqual(['id', 'name'])
    await client.execute('ALTER TABLE t ADD COLUMN year INTEGER DEFAULT 1997')
    const after = await client.execute('SELECT * FROM t')
    expect(after.columns).toEqual(['id', 'name', 'year'])
    expect([after.rows[0].name, after.rows[0].year]).toEqual(['Брат', 1997])
  } finally {
    client.close()
  }
})
