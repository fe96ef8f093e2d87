// The tus locker (src/uploads/upload-locks.ts): one writer per upload; a newcomer
// asks the holder to let go and waits for it, up to a limit.
import { describe, expect, test } from 'bun:test'
import { ERRORS } from '@tus/server'
import { UploadLocks } from '../src/uploads/upload-locks'

const never = new AbortController().signal

describe('upload locks', () => {
  test('a second lock of one upload asks the holder to let go, and gets the lock once it does', async () => {
    const locks = new UploadLocks(2000)
    const first = locks.newLock('u1')
    const asked: string[] = []
    await first.lock(never, () => {
      asked.push('first asked')
      setTimeout(() => void first.unlock(), 50)
    })
    const startedMs = Date.now()
    await locks.newLock('u1').lock(never, () => {})
    expect(asked).toEqual(['first asked'])
    expect(Date.now() - startedMs).toBeGreaterThanOrEqual(40)
  })

  test('locks of different uploads do not wait for each other', async () => {
    const locks = new UploadLocks(2000)
    await locks.newLock('a').lock(never, () => {
      throw new Error('must not be asked')
    })
    await locks.newLock('b').lock(never, () => {})
  })

  test('a holder that does not let go in time: the newcomer fails with the lock timeout', async () => {
    const locks = new UploadLocks(100)
    await locks.newLock('u2').lock(never, () => {})
    const waiting = locks.newLock('u2').lock(never, () => {})
    await expect(waiting).rejects.toBe(ERRORS.ERR_LOCK_TIMEOUT)
  })

  test('a newcomer whose own request ends stops waiting', async () => {
    const locks = new UploadLocks(5000)
    await locks.newLock('u3').lock(never, () => {})
    const stop = new AbortController()
    const waiting = locks.newLock('u3').lock(stop.signal, () => {})
    setTimeout(() => stop.abort(), 20)
    await expect(waiting).rejects.toBe(ERRORS.ERR_LOCK_TIMEOUT)
  })
})
