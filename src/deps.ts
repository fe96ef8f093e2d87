import type { Admins, Config } from './config'
import type { Db } from './db/client'

// What every feature needs from the running server, handed to each plugin factory.
export type AppDeps = {
  config: Config
  db: Db
  admins: Admins
}
