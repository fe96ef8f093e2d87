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
  // The database and the media folders together, as every service that deletes or
  // writes media files takes them: built once, here.
  store: Store
}

export type Store = { db: Db; mediaDataPath: string }

export function storeOf(db: Db, config: Pick<Config, 'mediaDataPath'>): Store {
  return { db, mediaDataPath: config.mediaDataPath }
}
