// The processing progress of media as Server-Sent Events. A media's row is polled once,
// however many listen to it: the first listener starts the poll, the last one to leave
// stops it. It polls rather than listening in-process, because the workers that change
// the row may run on other machines.
import type { Db } from '../db/client'
import { findMedia, type MediaRow } from './service'

export type MediaProgress = { status: MediaRow['status']; progress: number; error: string | null }
export type FeedOptions = { pollMs: number; keepAliveMs: number }

// A listener's stream, and what to do once when it ends.
type Listener = { controller: ReadableStreamDefaultController<Uint8Array>; onEnd: () => void }

type Poll = {
  listeners: Set<Listener>
  // The last event sent (the current state), for listeners that join later.
  lastEvent: string | null
  lastSentMs: number
  timer: Timer | null
  isStopped: boolean
}

// Events a listener may have waiting unread: a client that stops reading is sent only the
// final event after that (each event is the whole state, so a skipped one is not missed).
const queuedEventsPerListener = 64
const encoder = new TextEncoder()

function progressOf(row: MediaRow): MediaProgress {
  return { status: row.status, progress: row.progress, error: row.error }
}

function isFinished(status: MediaRow['status']): boolean {
  return status === 'ready' || status === 'failed'
}

function send({ controller }: Listener, text: string, isFinal = false) {
  if (!isFinal && (controller.desiredSize ?? 1) <= 0) return
  controller.enqueue(encoder.encode(text))
}

export class MediaProgressFeed {
  private readonly polls = new Map<number, Poll>()

  constructor(
    private readonly db: Db,
    private readonly options: FeedOptions,
  ) {}

  // The current state at once, then every change; a comment line now and then keeps idle
  // connections (and proxies) open. Ends after `ready` or `failed`, or when the row is
  // deleted. `onEnd` runs once when the stream ends, however it ends (the client may leave).
  stream(mediaId: number, onEnd: () => void = () => {}): ReadableStream<Uint8Array> {
    let listener: Listener
    return new ReadableStream<Uint8Array>(
      {
        start: controller => {
          listener = { controller, onEnd }
          this.join(mediaId, listener)
        },
        cancel: () => this.leave(mediaId, listener),
      },
      { highWaterMark: queuedEventsPerListener },
    )
  }

  private join(mediaId: number, listener: Listener) {
    let poll = this.polls.get(mediaId)
    if (!poll) {
      poll = { listeners: new Set(), lastEvent: null, lastSentMs: Date.now(), timer: null, isStopped: false }
      this.polls.set(mediaId, poll)
      void this.check(mediaId, poll)
    }
    poll.listeners.add(listener)
    if (poll.lastEvent) send(listener, poll.lastEvent)
  }

  private leave(mediaId: number, listener: Listener) {
    const poll = this.polls.get(mediaId)
    if (!poll?.listeners.delete(listener)) return
    listener.onEnd()
    if (poll.listeners.size === 0) this.stop(mediaId, poll)
  }

  private stop(mediaId: number, poll: Poll) {
    poll.isStopped = true
    if (poll.timer) clearTimeout(poll.timer)
    if (this.polls.get(mediaId) === poll) this.polls.delete(mediaId)
  }

  // Ends every listener's stream: closed, or errored (the connection then breaks, and
  // EventSource reconnects by itself).
  private end(mediaId: number, poll: Poll, error?: unknown) {
    this.stop(mediaId, poll)
    for (const listener of poll.listeners) {
      if (error === undefined) listener.controller.close()
      else listener.controller.error(error)
      listener.onEnd()
    }
    poll.listeners.clear()
  }

  private broadcast(poll: Poll, text: string, isFinal = false) {
    for (const listener of poll.listeners) send(listener, text, isFinal)
    poll.lastSentMs = Date.now()
  }

  private async check(mediaId: number, poll: Poll) {
    let row: MediaRow | undefined
    try {
      row = await findMedia(this.db, mediaId)
    } catch (error) {
      if (!poll.isStopped) this.end(mediaId, poll, error)
      return
    }
    if (poll.isStopped) return
    if (!row) return this.end(mediaId, poll)
    const event = `data: ${JSON.stringify(progressOf(row))}\n\n`
    if (event !== poll.lastEvent) {
      poll.lastEvent = event
      const isFinal = isFinished(row.status)
      this.broadcast(poll, event, isFinal)
      if (isFinal) return this.end(mediaId, poll)
    } else if (Date.now() - poll.lastSentMs >= this.options.keepAliveMs) {
      this.broadcast(poll, ': keep-alive\n\n')
    }
    poll.timer = setTimeout(() => void this.check(mediaId, poll), this.options.pollMs)
  }
}
