// Signing in with a password, for the JSON API and the pages alike: one set of failure
// counters per server, so the two doors share one budget of attempts.
import type { Db } from '../db/client'
import { AppError, tooManyRequests } from '../http/errors'
import { FailureThrottle } from './throttle'
import { usernameKey, verifyCredentials } from './users'

export type Credentials = { username: string; password: string }

export class LoginGate {
  private readonly byUsername = new FailureThrottle({ maxFailures: 5, windowMs: 15 * 60_000 })
  private readonly byAddress = new FailureThrottle({ maxFailures: 20, windowMs: 15 * 60_000 })

  // The user whose password this is; 429 while throttled, 401 for wrong credentials.
  async signIn(db: Db, credentials: Credentials, clientAddress: string) {
    const userKey = `user:${usernameKey(credentials.username)}`
    const addressKey = `ip:${clientAddress}`
    const waitSec = Math.max(this.byUsername.retryAfterSec(userKey), this.byAddress.retryAfterSec(addressKey))
    if (waitSec > 0) throw tooManyRequests(waitSec)
    const user = await verifyCredentials(db, credentials)
    if (!user) {
      this.byUsername.recordFailure(userKey)
      this.byAddress.recordFailure(addressKey)
      throw new AppError(401, 'invalid_credentials', 'Wrong username or password')
    }
    this.byUsername.reset(userKey)
    return user
  }
}
