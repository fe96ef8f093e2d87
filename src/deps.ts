import type { LoginGate } from './auth/login'
import type { PasswordGate } from './auth/passwords'
import type { Admins, Config } from './config'
import type { Db } from './db/client'

// What every feature needs from the running server, handed to each plugin factory.
export type AppDeps = {
  config: Config
  db: Db
  admins: Admins
  // Shared by the API and the pages so both count sign-in failures together.
  loginGate: LoginGate
  // Checks the password of a signed-in user (password change, account deletion), throttled.
  passwordGate: PasswordGate
}
