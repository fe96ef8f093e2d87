// A minimum pace for upload bodies. A body trickled a byte at a time would otherwise hold
// its request (and, for tus, the upload's lock) forever; cutting it keeps what arrived, so
// a tus client resumes from there.
import { AppError } from '../http/errors'
import { within } from '../http/within'

// An upload refused mid-body is answered with the connection closed: the rest of the body
// is not read, so the client stops sending (and a keep-alive connection is not left with
// half a body in it).
export const closeConnection = { Connection: 'close' }

export const closingConnection = (error: AppError) => new AppError(error.code, error.message, { ...error.headers, ...closeConnection })

// How slowly a client may send: at least `minBytes` in every `windowMs` spent waiting for
// it. Time the server spends writing does not count, only time waiting for the client.
export type BodyPace = { windowMs: number; minBytes: number }

export const tooSlowError = (pace: BodyPace) =>
  new AppError(
    'upload_too_slow',
    `The client sent fewer than ${pace.minBytes} bytes in ${pace.windowMs / 1000} s; a resumable (tus) upload keeps what arrived`,
    closeConnection,
  )

// `chunks`, cut with tooSlowError when the client falls below `pace`. The source is left
// to its owner (the request, tus's pipeline): a read still pending when the cut comes ends
// when the answer closes the connection.
export async function* pacedChunks(chunks: AsyncIterable<Uint8Array>, pace: BodyPace): AsyncGenerator<Uint8Array> {
  const source = chunks[Symbol.asyncIterator]()
  let windowWaitedMs = 0
  let windowBytes = 0
  let pending = source.next()
  for (;;) {
    const startedMs = performance.now()
    const next = await within(pending, pace.windowMs - windowWaitedMs)
    windowWaitedMs += performance.now() - startedMs
    if (next !== 'timeout') {
      if (next.done) return
      windowBytes += next.value.byteLength
    }
    if (windowWaitedMs >= pace.windowMs) {
      if (windowBytes < pace.minBytes) {
        pending.catch(() => {})
        throw tooSlowError(pace)
      }
      windowWaitedMs = 0
      windowBytes = 0
    }
    if (next === 'timeout') continue
    yield next.value
    pending = source.next()
  }
}
