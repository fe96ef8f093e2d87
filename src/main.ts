// `bun run start`: checks the configuration, applies migrations, starts the web server
// (and the transcoding workers the configuration asks for).
import { AccountThrottle } from './auth/throttle'
import { fillUsernameSkeletons } from './auth/usernames'
import { fillSearchIndex } from './catalogue/service'
import { ConfigError, loadConfigOrExit, readAdmins } from './config'
import { openDatabase } from './db/client'
import { migrateDatabase } from './db/migrate'
import { createApp } from './app'
import { runnerOrigin } from './runners/claims'
import { storeOf } from './deps'
import { fileServerOptionsOf, mediaFileRoutes, unsentFileResponse } from './streaming/serve'
import { mediaGate } from './auth/media-gate'
import { startTranscodeWorkers } from './transcoding/pool'

// Like a bad server.ini value: one line naming the key, no stack trace.
function readAdminsOrExit(file: string) {
  try {
    return readAdmins(file)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    console.error(error.message)
    process.exit(1)
  }
}

async function start() {
  const config = loadConfigOrExit()
  const admins = readAdminsOrExit(config.adminsFile)
  for (const warning of admins.warnings) console.warn(warning)
  try {
    await migrateDatabase(config.database)
  } catch (error) {
    console.error(`Database: cannot open or migrate ${config.database.url}: ${(error as Error).message}`)
    process.exit(1)
  }
  const { db } = openDatabase(config.database)
  // Before the first registration is served: look-alike checks need every row's skeleton.
  await fillUsernameSkeletons(db)
  // Before the first search is served: titles written before the index kept stems.
  await fillSearchIndex(db)
  const deps = { config, db, admins, throttle: new AccountThrottle(config), store: storeOf(db, config) }
  const runners = runnerOrigin(deps)
  const app = createApp(deps, runners)
  // HLS files go to a route of Bun itself, past Elysia's per-request work (src/streaming);
  // on a members-only server it checks the viewer's credential itself (auth/media-gate.ts).
  const gate = config.browsing === 'members' ? mediaGate(deps) : undefined
  app.config.serve = { ...app.config.serve, routes: mediaFileRoutes(config.mediaDataPath, { ...fileServerOptionsOf(config), gate }) }
  app.listen({
    hostname: config.host,
    port: config.port,
    // Uploads stream through; the size limit is enforced per route from MaxUploadBytes.
    maxRequestBodySize: Number.MAX_SAFE_INTEGER,
    idleTimeout: 120,
    // Never Bun's development error page (it shows stack traces), whatever NODE_ENV says.
    development: false,
    error: unsentFileResponse,
  })
  const shownHost = config.host === '0.0.0.0' ? 'localhost' : config.host
  console.log(`MoviePoint listening on http://${shownHost}:${app.server?.port}`)
  const workers = startTranscodeWorkers(config)
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.on(signal, () => void Promise.all([workers.stop(), runners.stop()]).finally(() => process.exit(0)))
}

await start()
