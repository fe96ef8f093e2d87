// Applies the migrations in drizzle/. Used at start-up by the server and the workers,
// and on its own by `bun run db:migrate` (exits non-zero on failure).
import { join } from 'node:path'
import { migrate } from 'drizzle-orm/libsql/migrator'
import type { DatabaseConfig } from '../config'
import { openDatabase } from './client'

export const migrationsFolder = join(import.meta.dir, '../../drizzle')

export async function migrateDatabase(config: DatabaseConfig) {
  const { client, db } = openDatabase(config)
  try {
    // WAL lets readers (pages, the stream route) go on while a writer commits. It is a
    // property of the file, so setting it here holds for every later connection.
    if (config.isEmbedded) await client.execute('PRAGMA journal_mode = WAL')
    await migrate(db, { migrationsFolder })
  } finally {
    client.close()
  }
}

if (import.meta.main) {
  const { loadConfig } = await import('../config')
  try {
    await migrateDatabase(loadConfig().database)
    console.log('migrations applied')
  } catch (error) {
    console.error(`migration failed: ${(error as Error).message}`)
    process.exit(1)
  }
}
