// Test fault-injection point, read once at start-up: MOVIEPOINT_STALL_AT=segment-playlist
// makes a worker stop itself (SIGSTOP) the first time it is about to list segments it has
// just published beside ones it listed before: what a VM pause, a swap storm or a SIGSTOP
// landing at that instant does to a worker that is not dead. Never set it in production.
export type StallPoint = 'segment-playlist'

const stallsAt = process.env.MOVIEPOINT_STALL_AT
let hasStalled = false

export function stallHereIfAsked(point: StallPoint): void {
  if (stallsAt !== point || hasStalled) return
  hasStalled = true
  // Delivered before kill() returns: nothing of this process runs until SIGCONT.
  process.kill(process.pid, 'SIGSTOP')
}
