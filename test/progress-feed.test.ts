// The progress feed behind GET /api/v1/media/:id/events reads a media's row once per
// poll, however many listen, and not at all once nobody does. A quick unit check on a
// real libSQL file with a counting drizzle logger (as catalogue-queries.test.ts does);
// the server-level cost and cap are in event-streams.test.ts.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient } from '@libsql/client'
import { eq } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/libsql'
import type { Db } from '../src/db/client'
import { migrateDatabase } from '../src/db/migrate'
import * as schema from '../src/db/schema'
import { MediaProgressFeed } from '../src/media/events'

const dir = mkdtempSync(join(tmpdir(), 'moviepoint-feed-'))
const url = `file:${join(dir, 'feed.db')}`
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
const pollMs = 20
const feed = new MediaProgressFeed(db, { pollMs, keepAliveMs: 60_000 })
let ownerId: number

beforeAll(async () => {
  await migrateDatabase({ url, isEmbedded: true })
  const [owner] = await db.insert(schema.users).values({ username: 'o', usernameKey: 'o', passwordHash: 'x' }).returning()
  ownerId = owner.id
})
afterAll(() => {
  client.close()
  rmSync(dir, { recursive: true, force: true })
})

async function processingMedia(): Promise<number> {
  const [row] = await db.insert(schema.media).values({ ownerId, status: 'processing', progress: 0.5 }).returning()
  return row.id
}

// Everything a listener is sent until its stream ends.
async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text()
}

test('100 listeners of one media cost one read per poll, and all of them get `ready`', async () => {
  const mediaId = await processingMedia()
  const ended: string[] = []
  const streams = Array.from({ length: 100 }, (_, i) => feed.stream(mediaId, () => ended.push(`#${i}`)))
  const texts = Promise.all(streams.map(readAll))
  await Bun.sleep(50)
  statements = 0
  await Bun.sleep(20 * pollMs)
  // 20 polls' worth of time: about 20 reads (one listener each would have made 2,000).
  expect(statements).toBeGreaterThan(5)
  expect(statements).toBeLessThanOrEqual(25)

  await db.update(schema.media).set({ status: 'ready', progress: 1 }).where(eq(schema.media.id, mediaId))
  const ready = 'data: {"status":"ready","progress":1,"error":null}\n\n'
  for (const text of await texts) expect(text).toBe(`data: {"status":"processing","progress":0.5,"error":null}\n\n${ready}`)
  expect(ended.length).toBe(100)
})

test('the poll stops when the last listener leaves, and a listener that joins later gets the state at once', async () => {
  const mediaId = await processingMedia()
  const readers = Array.from({ length: 3 }, () => feed.stream(mediaId).getReader())
  await Promise.all(readers.map(reader => reader.read()))
  const late = feed.stream(mediaId).getReader()
  expect(new TextDecoder().decode((await late.read()).value)).toContain('"status":"processing"')

  for (const reader of [...readers, late]) await reader.cancel()
  await Bun.sleep(2 * pollMs)
  statements = 0
  await Bun.sleep(10 * pollMs)
  expect(statements).toBe(0)
})
