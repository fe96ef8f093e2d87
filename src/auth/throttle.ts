// Login throttling: failures are counted per username and per client address in a
// sliding window. Past the limit the answer is 429 with Retry-After until the window
// has passed, so an attacker is slowed down but the real owner is never locked out for good.
export type ThrottleOptions = { maxFailures: number; windowMs: number }

export class FailureThrottle {
  private failures = new Map<string, number[]>()

  constructor(private readonly options: ThrottleOptions) {}

  // Seconds to wait before the next attempt for this key, or 0.
  retryAfterSec(key: string, now = Date.now()): number {
    const recent = this.recent(key, now)
    if (recent.length < this.options.maxFailures) return 0
    const oldestCounted = recent[recent.length - this.options.maxFailures]
    return Math.max(1, Math.ceil((oldestCounted + this.options.windowMs - now) / 1000))
  }

  recordFailure(key: string, now = Date.now()) {
    const recent = this.recent(key, now)
    recent.push(now)
    this.failures.set(key, recent)
    if (this.failures.size > 100_000) this.forgetExpired(now)
  }

  reset(key: string) {
    this.failures.delete(key)
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((at) => now - at < this.options.windowMs)
  }

  private forgetExpired(now: number) {
    for (const key of this.failures.keys()) if (this.recent(key, now).length === 0) this.failures.delete(key)
  }
}
