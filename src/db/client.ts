import { createClient } from '@libsql/client'
import { drizzle } from 'drizzle-orm/libsql'
import type { DatabaseConfig } from '../config'
import * as schema from './schema'

export type Db = ReturnType<typeof openDatabase>['db']

export function openDatabase(config: DatabaseConfig) {
  const client = createClient({ url: config.url, authToken: config.authToken })
  const db = drizzle(client, { schema, casing: 'snake_case' })
  return { client, db }
}

// WAL lets readers (pages, the stream route) go on while a writer commits; the busy
// timeout lets the server and its workers share one embedded file without SQLITE_BUSY.
export async function tuneEmbeddedDatabase(client: ReturnType<typeof createClient>) {
  await client.execute('PRAGMA journal_mode = WAL')
  await client.execute('PRAGMA synchronous = NORMAL')
  await client.execute('PRAGMA busy_timeout = 5000')
}
