// Every throttle of the server: failed sign-ins, failed API tokens and session cookies,
// sign-ups. One AccountThrottle per server (AppDeps.throttle), shared by the API and the
// pages, so both doors draw on the same budgets. Budgets are per client address (an IPv6
// /64) and, for passwords, per (username, address): an attacker spends their own budget,
// never their victim's. Across all addresses a username only gets slower answers
// (OWASP Authentication Cheat Sheet, ASVS 5.0 6.3.1): a correct password from an address
// that has not failed is never refused.
import { createHash } from 'node:crypto'
import { addressBucket } from '../config/ip-address'
import { ClientSlots } from '../http/client-slots'
import { tooManyRequests } from '../http/errors'

export type WindowLimit = { max: number; windowMs: number }

const minute = 60_000

export const throttleLimits = {
  // Wrong passwords for one username from one address; then 429 until the oldest is 15 min old.
  signInFailuresPerUserAddress: { max: 5, windowMs: 15 * minute },
  // Wrong passwords from one address, whatever the usernames.
  signInFailuresPerAddress: { max: 20, windowMs: 15 * minute },
  // Wrong passwords for one username from anywhere in 15 min: the first 3 cost nothing, then
  // every answer for that username (right or wrong) waits 0.25, 0.5, 1, then at most 2 s.
  signInDelay: { freeFailures: 3, firstDelayMs: 250, maxDelayMs: 2000, windowMs: 15 * minute },
  // Sign-ins one address may have waiting at once; more are refused at once.
  pendingSignInsPerAddress: 3,
  // Different unknown API tokens or session cookies one address may send in 15 min.
  failedCredentialsPerAddress: { max: 50, windowMs: 15 * minute },
  signUpWindowMs: 60 * minute,
}

type Event = { atMs: number; id?: string }

// Events per key in a sliding window. Each key keeps only its newest `max` events (older
// ones cannot change a verdict), and at most `maxKeys` keys are kept: past that the key
// touched least recently is forgotten, so memory stays bounded whatever an attacker sends.
export class SlidingWindow {
  private readonly events = new Map<string, Event[]>()

  constructor(
    readonly limit: WindowLimit,
    private readonly maxKeys = 50_000,
  ) {}

  count(key: string, now = Date.now()): number {
    return this.recent(key, now).length
  }

  // Seconds until `extra` more events would still be within the limit, or 0 now.
  retryAfterSec(key: string, now = Date.now(), extra = 0): number {
    const recent = this.recent(key, now)
    const excess = recent.length + extra - this.limit.max
    if (excess < 0) return 0
    const expiring = recent[Math.min(excess, recent.length - 1)]
    return expiring ? Math.max(1, Math.ceil((expiring.atMs + this.limit.windowMs - now) / 1000)) : 1
  }

  // An event with an `id` already counted in the window is not counted again.
  record(key: string, now = Date.now(), id?: string) {
    const recent = this.recent(key, now)
    if (id !== undefined && recent.some(event => event.id === id)) return
    recent.push({ atMs: now, id })
    this.events.delete(key)
    this.events.set(key, recent.slice(-this.limit.max))
    if (this.events.size > this.maxKeys) this.dropLeastRecent()
  }

  // Map keys iterate in insertion order, and `record` re-inserts a key on every use.
  private dropLeastRecent() {
    const oldest = this.events.keys().next()
    if (!oldest.done) this.events.delete(oldest.value)
  }

  // Counts an event unless the limit is reached: seconds to wait, or 0 when counted.
  take(key: string, now = Date.now()): number {
    const waitSec = this.retryAfterSec(key, now)
    if (waitSec === 0) this.record(key, now)
    return waitSec
  }

  forget(key: string) {
    this.events.delete(key)
  }

  private recent(key: string, now: number): Event[] {
    return (this.events.get(key) ?? []).filter(event => now - event.atMs < this.limit.windowMs)
  }
}

// One password check that passed the throttle: its answer is due at `dueAtMs`, and its
// outcome is counted then, so neither the answer nor the counters tell it earlier.
export type SignInAttempt = { waitUntilDue: () => Promise<void>; settle: (isSuccess: boolean) => void; release: () => void }

export function signInDelayMs(failures: number, delay = throttleLimits.signInDelay): number {
  if (failures < delay.freeFailures) return 0
  return Math.min(delay.maxDelayMs, delay.firstDelayMs * 2 ** (failures - delay.freeFailures))
}

// Secrets are counted by digest: a failed token is kept in memory only as 16 hex digits.
function digestOf(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 16)
}

export class AccountThrottle {
  private readonly limits = throttleLimits
  private readonly failedSignInsByUserAddress = new SlidingWindow(this.limits.signInFailuresPerUserAddress)
  private readonly failedSignInsByAddress = new SlidingWindow(this.limits.signInFailuresPerAddress)
  // Only as many failures as it takes to reach the longest delay are kept.
  private readonly failedSignInsByUser = new SlidingWindow({
    max:
      this.limits.signInDelay.freeFailures +
      Math.ceil(Math.log2(this.limits.signInDelay.maxDelayMs / this.limits.signInDelay.firstDelayMs)) +
      1,
    windowMs: this.limits.signInDelay.windowMs,
  })
  private readonly pendingSignIns = new ClientSlots(this.limits.pendingSignInsPerAddress)
  private readonly failedCredentials = new SlidingWindow(this.limits.failedCredentialsPerAddress)
  private readonly signUps: SlidingWindow

  constructor(options: { maxSignUpsPerHour: number }) {
    this.signUps = new SlidingWindow({ max: options.maxSignUpsPerHour, windowMs: this.limits.signUpWindowMs })
  }

  // Before the password is looked at: 429 when this address has used its budget for this
  // username or for all (attempts still waiting count as failures, so parallel requests
  // cannot overshoot), or has too many waiting. `usernameKey` is the normalised username.
  startSignIn(usernameKey: string, address: string, now = Date.now()): SignInAttempt {
    const client = addressBucket(address)
    const userAtClient = `${usernameKey}\n${client}`
    const pending = this.pendingSignIns.held(client)
    const waitSec = Math.max(
      this.failedSignInsByUserAddress.retryAfterSec(userAtClient, now, pending),
      this.failedSignInsByAddress.retryAfterSec(client, now, pending),
    )
    if (waitSec > 0) throw tooManyRequests(waitSec)
    const release = this.pendingSignIns.take(client)
    if (!release) throw tooManyRequests(Math.ceil(this.limits.signInDelay.maxDelayMs / 1000))
    const dueAtMs = now + signInDelayMs(this.failedSignInsByUser.count(usernameKey, now))
    return {
      waitUntilDue: () => Bun.sleep(Math.max(0, dueAtMs - Date.now())),
      settle: isSuccess => {
        if (isSuccess) return this.failedSignInsByUserAddress.forget(userAtClient)
        this.failedSignInsByUserAddress.record(userAtClient)
        this.failedSignInsByAddress.record(client)
        this.failedSignInsByUser.record(usernameKey)
      },
      release,
    }
  }

  // Before an API token or session cookie is looked up: 429 once this address has sent too
  // many that were unknown. Counting stops no request that carries no credential.
  refuseFailingClient(address: string) {
    const waitSec = this.failedCredentials.retryAfterSec(addressBucket(address))
    if (waitSec > 0) throw tooManyRequests(waitSec)
  }

  // Each different secret counts once: a browser resending one stale cookie with every
  // request of a page is one failure, a script trying random tokens is many.
  recordFailedCredential(address: string, secret: string) {
    this.failedCredentials.record(addressBucket(address), Date.now(), digestOf(secret))
  }

  // One sign-up attempt (API or page): 429 past MaxSignUpsPerHour for this address.
  takeSignUp(address: string) {
    const waitSec = this.signUps.take(addressBucket(address))
    if (waitSec > 0) throw tooManyRequests(waitSec)
  }
}
