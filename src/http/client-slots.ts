// At most `maxPerClient` of something at once per client address: each event stream holds
// a connection (and a listener) for as long as a video processes, and each sign-in waits
// out its delay on one, so one client could otherwise open thousands.
export class ClientSlots {
  private readonly taken = new Map<string, number>()

  constructor(readonly maxPerClient: number) {}

  held(address: string): number {
    return this.taken.get(address) ?? 0
  }

  // A function that gives the slot back (once, however often it is called), or null when
  // the address holds all its slots.
  take(address: string): (() => void) | null {
    const count = this.taken.get(address) ?? 0
    if (count >= this.maxPerClient) return null
    this.taken.set(address, count + 1)
    let isReleased = false
    return () => {
      if (isReleased) return
      isReleased = true
      const left = (this.taken.get(address) ?? 1) - 1
      if (left > 0) this.taken.set(address, left)
      else this.taken.delete(address)
    }
  }
}
