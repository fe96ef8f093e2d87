// Reading a small request body whole, under a size limit and a deadline: no client can
// make the server buffer without bound, nor hold a request open by trickling its body.
import { AppError } from './errors'
import { within } from './within'

export type SmallBodyLimits = {
  maxBytes: number
  // The whole body must arrive within this time, plus one second per `bytesPerExtraSecond`
  // that did arrive: a large body on a slow but steady line is not cut, a trickle is.
  timeoutMs: number
  bytesPerExtraSecond: number
}

export const bodyTooLarge = (maxBytes: number) =>
  new AppError('payload_too_large', `Request bodies are limited to ${maxBytes} bytes here`)

// The connection of a body that is too slow is closed after the answer, so nothing more
// is waited for. One that is too large stays open: Bun reads and drops the rest without
// keeping it (flat memory, tested with 1 GiB), and closing a connection with unread data
// resets it, which can make the client's system drop the 413 before it is read.
const bodyTooSlow = () => new AppError('request_timeout', 'The request body arrived too slowly', { connection: 'close' })

// Counts bytes as they come, so a chunked body (which declares no length) is cut as soon
// as it passes the limit rather than after it was buffered.
export async function readSmallBody(body: ReadableStream<Uint8Array>, limits: SmallBodyLimits): Promise<Uint8Array<ArrayBuffer>> {
  const reader = body.getReader()
  const startedMs = performance.now()
  const chunks: Uint8Array[] = []
  let receivedBytes = 0
  try {
    for (;;) {
      const allowedMs = limits.timeoutMs + (receivedBytes / limits.bytesPerExtraSecond) * 1000
      const leftMs = allowedMs - (performance.now() - startedMs)
      const next = leftMs > 0 ? await within(reader.read(), leftMs) : 'timeout'
      if (next === 'timeout') throw bodyTooSlow()
      if (next.done) return Buffer.concat(chunks, receivedBytes)
      receivedBytes += next.value.byteLength
      if (receivedBytes > limits.maxBytes) throw bodyTooLarge(limits.maxBytes)
      chunks.push(next.value)
    }
  } catch (error) {
    reader.cancel().catch(() => {})
    throw error
  }
}
