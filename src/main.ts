// `bun run start`: checks the configuration, applies migrations, starts the web server
// (and the transcoding workers the configuration asks for).
import { type Config, ConfigError, loadConfig, readAdmins } from './config'
import { openDatabase, tuneEmbeddedDatabase } from './db/client'
import { migrateDatabase } from './db/migrate'
import { createApp } from './app'

function loadConfigOrExit(): Config {
  try {
    return loadConfig()
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    console.error(error.message)
    process.exit(1)
  }
}

async function start() {
  const config = loadConfigOrExit()
  const admins = readAdmins(config.adminsFile)
  for (const warning of admins.warnings) console.warn(warning)
  try {
    await migrateDatabase(config.database)
  } catch (error) {
    console.error(`Database: cannot open or migrate ${config.database.url}: ${(error as Error).message}`)
    process.exit(1)
  }
  const { client, db } = openDatabase(config.database)
  if (config.database.isEmbedded) await tuneEmbeddedDatabase(client)
  const app = createApp({ config, db, admins }).listen({
    hostname: config.host,
    port: config.port,
    // Uploads stream through; the size limit is enforced per route from MaxUploadBytes.
    maxRequestBodySize: Number.MAX_SAFE_INTEGER,
    idleTimeout: 120,
  })
  const shownHost = config.host === '0.0.0.0' ? 'localhost' : config.host
  console.log(`MoviePoint listening on http://${shownHost}:${app.server?.port}`)
}

await start()
