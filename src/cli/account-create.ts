// cli/: commands run on the server's own machine; this one is `bun run account:create`.
// `bun run account:create <username> [--admin]`: makes an account from the server's own
// machine and prints a one-time link (24 h) where its owner sets the password. This is how
// a server with Registration=closed or invite gets its first admin, and how an admin who
// lost their password gets back in. It works on the database named in server.ini
// (MOVIEPOINT_CONFIG), running server or not.
import { parseArgs } from 'node:util'
import { createPasswordReset } from '../auth/password-resets'
import { linkUrl, passwordResetPath } from '../auth/secret-links'
import { fillUsernameSkeletons } from '../auth/usernames'
import { createUser } from '../auth/users'
import { loadConfigOrExit } from '../config'
import { openDatabase } from '../db/client'
import { migrateDatabase } from '../db/migrate'
import { users } from '../db/schema'
import { eq } from 'drizzle-orm'
import { AppError } from '../http/errors'

const usage = 'usage: bun run account:create <username> [--admin]'

async function createAccountFromShell(username: string, isAdmin: boolean) {
  const config = loadConfigOrExit()
  await migrateDatabase(config.database)
  const { db, client } = openDatabase(config.database)
  try {
    // Look-alike checks need every row's skeleton, as at the server's start-up.
    await fillUsernameSkeletons(db)
    // Nobody can sign in with this password: the link sets the real one.
    const row = await createUser(db, { username, password: crypto.randomUUID() + crypto.randomUUID() })
    if (isAdmin) await db.update(users).set({ isAdmin: true }).where(eq(users.id, row.id))
    const link = await createPasswordReset(db, row.id, null)
    const base = { publicUrl: config.publicUrl, requestUrl: `http://${config.host}:${config.port}` }
    console.log(`account ${row.id} "${row.username}"${isAdmin ? ' (admin)' : ''} created`)
    console.log(`set its password within 24 h at: ${linkUrl(base, passwordResetPath, { token: link.token })}`)
  } finally {
    client.close()
  }
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({ options: { admin: { type: 'boolean', default: false } }, allowPositionals: true })
  if (positionals.length !== 1) {
    console.error(usage)
    process.exit(2)
  }
  try {
    await createAccountFromShell(positionals[0], values.admin ?? false)
  } catch (error) {
    if (!(error instanceof AppError)) throw error
    console.error(`${error.code}: ${error.message}`)
    process.exit(1)
  }
}
