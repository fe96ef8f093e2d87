// Applies the migrations in drizzle/. Used at start-up by the server and the workers,
// and on its own by `bun run db:migrate` (exits non-zero on failure).
import { join } from 'node:path'
import { migrate } from 'drizzle-orm/libsql/migrator'
import type { DatabaseConfig } from '../config'
import { openDatabase, tuneEmbeddedDatabase } from './client'

export const migrationsFolder = join(import.meta.dir, '../../drizzle')

export async function migrateDatabase(config: DatabaseConfig) {
  const { client, db } = openDatabase(config)
  try {
    if (config.isEmbedded) await tuneEmbeddedDatabase(client)
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
