// Signing in with a password, for the JSON API and the pages alike, through the server's
// one AccountThrottle, so the two doors share one budget of attempts.
import type { Db } from '../db/client'
import { AppError } from '../http/errors'
import type { AccountThrottle } from './throttle'
import { usernameKey, verifyCredentials } from './users'

export type Credentials = { username: string; password: string }

// The user whose password this is; 429 while throttled, 401 for wrong credentials. The
// answer, right or wrong, waits out the username's delay: a client that gives up early
// learns nothing, and the failure is counted even if it has gone.
export async function signIn(deps: { db: Db; throttle: AccountThrottle }, credentials: Credentials, clientAddress: string) {
  const attempt = deps.throttle.startSignIn(usernameKey(credentials.username), clientAddress)
  try {
    const user = await verifyCredentials(deps.db, credentials)
    await attempt.waitUntilDue()
    attempt.settle(user !== null)
    if (!user) throw new AppError('invalid_credentials', 'Wrong username or password')
    return user
  } finally {
    attempt.release()
  }
}
