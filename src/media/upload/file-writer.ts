// Streams a request body into a file with flat memory: at most about one flush of data
// is held at a time, and the next chunk is only read from the socket once the disk has
// taken the previous ones (backpressure all the way to the client).
import { type FileHandle, open } from 'node:fs/promises'
import { payloadTooLarge } from '../../http/errors'
import { insufficientStorage, isDiskFull } from './limits'

// Socket chunks are ~64 KiB; gathering them into one writev of ~1 MiB costs no copy
// and saves most of the system calls.
const flushBytes = 1024 * 1024

// Every chunk read from the socket is a fresh buffer that only the garbage collector frees;
// JavaScriptCore collects lazily, so a fast upload would pile up hundreds of MB of dead
// chunks. A full collection every 128 MiB written (a few ms each) keeps the server's memory
// flat: measured on a 2 GB upload, peak RSS ~150 MB instead of ~175 MB (bench/upload.ts).
const collectEveryBytes = 128 * 1024 * 1024
let bytesSinceCollection = 0

function noteWritten(bytes: number) {
  bytesSinceCollection += bytes
  if (bytesSinceCollection < collectEveryBytes) return
  bytesSinceCollection = 0
  Bun.gc(true)
}

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
  isDiskFull(error) ? insufficientStorage('The disk filled up during the upload') : error

export type WriteOptions = {
  // Where the first byte goes (a tus resume continues at its offset).
  position: number
  // More than this many bytes in the body is a 413; the excess is never written.
  limitBytes: number
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

// Returns how many bytes were written. Whatever arrived before a failure (a dropped
// connection) is still written and flushed: a tus client resumes right after it.
export async function writeChunks(
  handle: FileHandle,
  chunks: AsyncIterable<Uint8Array>,
  { position, limitBytes }: WriteOptions,
): Promise<number> {
  let pending: Uint8Array[] = []
  let pendingBytes = 0
  let writtenBytes = 0
  const syncer = backgroundSyncer(handle)
  const flush = async () => {
    if (pendingBytes === 0) return
    const batch = pending
    pending = []
    await writeAll(handle, batch, position + writtenBytes)
    noteWritten(pendingBytes)
    syncer.written(pendingBytes)
    writtenBytes += pendingBytes
    pendingBytes = 0
  }
  try {
    try {
      for await (const chunk of chunks) {
        if (writtenBytes + pendingBytes + chunk.byteLength > limitBytes)
          throw payloadTooLarge(`The body is larger than the ${limitBytes} bytes allowed here`)
        pending.push(chunk)
        pendingBytes += chunk.byteLength
        if (pendingBytes >= flushBytes) await flush()
      }
    } finally {
      await flush().finally(syncer.settled)
    }
    await handle.sync()
  } catch (error) {
    throw asStorageError(error)
  }
  return writtenBytes
}

// A request body of declared length, streamed by Bun itself into a new file at `path`, or
// appended to one (a tus PATCH): no JavaScript buffer per chunk, so no garbage and a flat
// memory (a 2 GiB PUT this way peaks at ~30 MB of RSS in a bare server), then fsync'ed.
// Rejects like the chunk path: AbortError when the client goes away (what arrived before
// stays in the file), 507 when the disk fills.
export async function writeRequestBody(request: Request, path: string, mode: 'create' | 'append'): Promise<number> {
  const handle = await open(path, mode === 'append' ? 'a' : 'wx')
  try {
    const written = await Bun.write(Bun.file(handle.fd), request)
    await handle.sync()
    return written
  } catch (error) {
    throw asStorageError(error)
  } finally {
    await handle.close()
  }
}
