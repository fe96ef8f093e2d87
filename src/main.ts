// `bun run start`: checks the configuration, applies migrations, starts the web server
// (and the transcoding workers the configuration asks for).
import { LoginGate } from './auth/login'
import { PasswordGate } from './auth/passwords'
import { loadConfigOrExit, readAdmins } from './config'
import { openDatabase } from './db/client'
import { migrateDatabase } from './db/migrate'
import { createApp } from './app'
import { mediaFileRoutes } from './media/stream/serve'
import { startTranscodeWorkers } from './media/workers'

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
  const { db } = openDatabase(config.database)
  const app = createApp({ config, db, admins, loginGate: new LoginGate(), passwordGate: new PasswordGate() })
  // HLS files go to a route of Bun itself, past Elysia's per-request work (src/media/stream).
  app.config.serve = { ...app.config.serve, routes: mediaFileRoutes(config.mediaDataPath) }
  app.listen({
    hostname: config.host,
    port: config.port,
    // Uploads stream through; the size limit is enforced per route from MaxUploadBytes.
    maxRequestBodySize: Number.MAX_SAFE_INTEGER,
    idleTimeout: 120,
  })
  const shownHost = config.host === '0.0.0.0' ? 'localhost' : config.host
  console.log(`MoviePoint listening on http://${shownHost}:${app.server?.port}`)
  const workers = startTranscodeWorkers(config)
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.on(signal, () => void workers.stop().finally(() => process.exit(0)))
}

await start()
