import type { AccountThrottle } from './auth/throttle'
import type { Admins, Config } from './config'
import type { Db } from './db/client'

// What every feature needs from the running server, handed to each plugin factory.
export type AppDeps = {
  config: Config
  db: Db
  admins: Admins
  // Shared by the API and the pages so both draw on the same budgets (sign-ins, failed
  // tokens and cookies, sign-ups).
  throttle: AccountThrottle
}
