// Streams a request body into a file with flat memory: at most about one flush of data
// is held at a time, and the next chunk is only read from the socket once the disk has
// taken the previous ones (backpressure all the way to the client).
//
// Every byte is written at an explicit position (never O_APPEND, never a writer that sizes
// the file on its own: Bun 1.4.5's Bun.write of a request pre-sizes the file from offset 0,
// which with O_APPEND stored N zero bytes before the N data bytes). After the last write the
// file is fsync'ed and its size on disk must be exactly where the writes ended; only then
// may a caller acknowledge the bytes.
import type { FileHandle } from 'node:fs/promises'
import { speedTrickOn } from '../config/speed-tricks'
import { AppError, payloadTooLarge } from '../http/errors'
import { type BodyPace, closeConnection, closingConnection, pacedChunks } from './body-pace'
import { insufficientStorage, isDiskFull } from './limits'

// Socket chunks are ~64 KiB; gathering them into one writev of ~1 MiB costs no copy
// and saves most of the system calls.
const flushBytes = 1024 * 1024

// The disk starts on the data while the body still arrives: every 16 MiB written, an
// fdatasync runs in the background (at most one at a time). Otherwise the page cache
// holds the whole body and the fsync that must come before the answer (or a tus offset)
// flushes all of it while the client waits.
const backgroundSyncBytes = 16 * 1024 * 1024

function backgroundSyncer(handle: FileHandle) {
  let running: Promise<void> | null = null
  let unsyncedBytes = 0
  return {
    written(bytes: number) {
      unsyncedBytes += bytes
      if (running || unsyncedBytes < backgroundSyncBytes) return
      unsyncedBytes = 0
      running = handle
        .datasync()
        .catch(() => {})
        .finally(() => {
          running = null
        })
    },
    // Before the handle is synced for good, or closed.
    settled: () => running ?? Promise.resolve(),
  }
}

const asStorageError = (error: unknown) =>
  isDiskFull(error) ? closingConnection(insufficientStorage('The disk filled up during the upload')) : error

export type WriteOptions = {
  // Where the first byte goes (a tus resume continues at its offset).
  position: number
  // More than this many bytes in the body is a 413; the excess is never written.
  limitBytes: number
  pace: BodyPace
}

async function writeAll(handle: FileHandle, chunks: Uint8Array[], position: number): Promise<void> {
  const total = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0)
  const { bytesWritten } = await handle.writev(chunks, position)
  if (bytesWritten === total) return
  // Regular files rarely take less than asked; when they do, finish with plain writes.
  const rest = Buffer.concat(chunks).subarray(bytesWritten)
  for (let done = 0; done < rest.byteLength; ) {
    done += (await handle.write(rest, done, rest.byteLength - done, position + bytesWritten + done)).bytesWritten
  }
}

// Every chunk read from the socket is a fresh buffer that only the garbage collector frees,
// and JavaScriptCore collects lazily: a full collection every 128 MiB written (a few ms)
// keeps a long upload's memory flat (bench/upload.ts: see README for the figures).
const collectEveryBytes = 128 * 1024 * 1024
let bytesSinceCollection = 0
const isCollecting = speedTrickOn('upload-gc')

function collectNowAndThen(bytes: number) {
  bytesSinceCollection += bytes
  if (bytesSinceCollection < collectEveryBytes) return
  bytesSinceCollection = 0
  if (isCollecting) Bun.gc(true)
}

// Chunks gathered into writes of about `flushBytes`, each at the position after the last.
function batchWriter(handle: FileHandle, position: number) {
  let pending: Uint8Array[] = []
  let pendingBytes = 0
  let writtenBytes = 0
  const syncer = backgroundSyncer(handle)
  const flush = async () => {
    if (pendingBytes === 0) return
    const batch = pending
    const bytes = pendingBytes
    pending = []
    pendingBytes = 0
    try {
      await writeAll(handle, batch, position + writtenBytes)
    } catch (error) {
      // A batch that failed halfway (the disk filled) is not kept: the file ends after the
      // last whole batch, so the size check still holds and the real error is answered.
      await handle.truncate(position + writtenBytes).catch(() => {})
      throw error
    }
    syncer.written(bytes)
    collectNowAndThen(bytes)
    writtenBytes += bytes
  }
  return {
    receivedBytes: () => writtenBytes + pendingBytes,
    writtenBytes: () => writtenBytes,
    async add(chunk: Uint8Array) {
      pending.push(chunk)
      pendingBytes += chunk.byteLength
      if (pendingBytes >= flushBytes) await flush()
    },
    // Whatever was received, written and fsync'ed.
    async finish() {
      await flush().finally(syncer.settled)
      await handle.sync()
    },
  }
}

// The file must end exactly where the writes did. If not, something else wrote to it (or
// a write was lost): it is cut back to where this body started, so no byte of it is ever
// acknowledged, and the failure is logged.
async function assertSizeOnDisk(handle: FileHandle, startBytes: number, expectedBytes: number): Promise<void> {
  const { size } = await handle.stat()
  if (size === expectedBytes) return
  console.error(`Upload write mismatch: the file has ${size} bytes on disk, ${expectedBytes} were expected; cut back to ${startBytes}`)
  await handle.truncate(startBytes)
  await handle.sync()
  throw new AppError(
    'upload_write_mismatch',
    `The stored upload does not have the expected size; nothing of this request was kept, resume from byte ${startBytes}`,
    closeConnection,
  )
}

// Returns how many bytes were written. Whatever arrived before a failure (a dropped
// connection, a client too slow) is still written and flushed: a tus client resumes
// right after it.
export async function writeChunks(handle: FileHandle, chunks: AsyncIterable<Uint8Array>, options: WriteOptions): Promise<number> {
  const writer = batchWriter(handle, options.position)
  let failure: { error: unknown } | null = null
  try {
    for await (const chunk of pacedChunks(chunks, options.pace)) {
      if (writer.receivedBytes() + chunk.byteLength > options.limitBytes)
        // The connection stays open: Bun discards the rest of the body. Closing it with the
        // body unread makes the kernel reset it, and the client may lose the 413 itself.
        throw payloadTooLarge(`The body is larger than the ${options.limitBytes} bytes allowed here`)
      await writer.add(chunk)
    }
  } catch (error) {
    failure = { error }
  }
  try {
    await writer.finish()
    await assertSizeOnDisk(handle, options.position, options.position + writer.writtenBytes())
  } catch (error) {
    throw asStorageError(error)
  }
  if (failure) throw asStorageError(failure.error)
  return writer.writtenBytes()
}

// A request body as chunks (typed: lib.dom's ReadableStream is not declared iterable here).
export async function* bodyChunks(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      yield value
    }
  } finally {
    reader.releaseLock()
  }
}
