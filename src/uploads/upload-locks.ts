// One writer per tus upload at a time: the Locker that @tus/server asks before each PATCH
// (and HEAD, DELETE) of an upload.
//
// As tus wants, a request that finds the upload locked asks the holder to let go (the
// client has given up on the older connection), then waits for it. Unlike @tus/server's
// MemoryLocker, the wait is a promise of the holder's release rather than a loop of
// setImmediate retries: the holder takes up to tus's lock drain time (and a final fsync)
// to stop, and that loop would keep a core busy all along.
// Locks live in this process, like MemoryLocker's.
import { ERRORS, type Lock, type Locker, type RequestRelease } from '@tus/server'

type Held = { released: Promise<void>; release: () => void; requestRelease: RequestRelease }

export class UploadLocks implements Locker {
  readonly held = new Map<string, Held>()

  constructor(
    // How long a request waits for the holder before giving up.
    readonly acquireTimeoutMs: number,
  ) {}

  newLock(id: string): Lock {
    return new UploadLock(this, id)
  }
}

class UploadLock implements Lock {
  private mine: Held | null = null

  constructor(
    private readonly locks: UploadLocks,
    private readonly id: string,
  ) {}

  async lock(stopSignal: AbortSignal, requestRelease: RequestRelease): Promise<void> {
    const deadline = Date.now() + this.locks.acquireTimeoutMs
    for (;;) {
      const holder = this.locks.held.get(this.id)
      if (!holder) break
      await holder.requestRelease()
      const waitMs = deadline - Date.now()
      if (stopSignal.aborted || waitMs <= 0 || !(await settlesWithin(holder.released, waitMs, stopSignal))) throw ERRORS.ERR_LOCK_TIMEOUT
    }
    let release = () => {}
    const released = new Promise<void>(resolve => {
      release = resolve
    })
    this.mine = { released, release, requestRelease }
    this.locks.held.set(this.id, this.mine)
  }

  async unlock(): Promise<void> {
    if (!this.mine) throw new Error('Releasing an upload lock that is not held')
    if (this.locks.held.get(this.id) === this.mine) this.locks.held.delete(this.id)
    this.mine.release()
    this.mine = null
  }
}

// Whether `promise` settles within `ms`, unless `signal` aborts first.
function settlesWithin(promise: Promise<void>, ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise(resolve => {
    const done = (settled: boolean) => {
      clearTimeout(timer)
      signal.removeEventListener('abort', onAbort)
      resolve(settled)
    }
    const onAbort = () => done(false)
    const timer = setTimeout(() => done(false), ms)
    signal.addEventListener('abort', onAbort)
    promise.then(() => done(true))
  })
}
