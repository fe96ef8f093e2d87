import { createClient } from '@libsql/client'
import { drizzle } from 'drizzle-orm/libsql'
import type { DatabaseConfig } from '../config'
import { speedTrickOn } from '../config/speed-tricks'
import * as schema from './schema'
import { cachePreparedStatements } from './statement-cache'

export type Db = ReturnType<typeof openDatabase>['db']

export function openDatabase(config: DatabaseConfig) {
  if (config.isEmbedded && speedTrickOn('statement-cache')) cachePreparedStatements()
  // `timeout` is the busy timeout of every pooled connection of an embedded file: the
  // server and its workers share one file and must wait for each other, not fail.
  const client = createClient({ url: config.url, authToken: config.authToken, timeout: 5000 })
  const db = drizzle(client, { schema, casing: 'snake_case' })
  return { client, db }
}
