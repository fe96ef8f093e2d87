// GET /api/v1/media/:id/events costs the server one poll per media, however many listen,
// and no client can hold more than MaxEventStreamsPerClient of them open.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { openServerDatabase } from './helpers/catalogue'
import { type Client, signUp } from './helpers/client'
import { eventually } from './helpers/media'
import { cpuSeconds } from './helpers/proc'
import { openRaw, type RawConnection } from './helpers/raw-http'
import { startServer, type TestServer } from './helpers/server'

let server: TestServer
let owner: Client & { userId: number }

beforeAll(async () => {
  server = await startServer()
  owner = await signUp(server.url)
})
afterAll(() => server.stop())

async function execute(sql: string, args: (string | number)[]) {
  const db = openServerDatabase(server)
  try {
    return (await db.execute({ sql, args })).rows
  } finally {
    db.close()
  }
}

// A media a worker is processing (the workers themselves are off in these tests).
async function processingMedia(): Promise<number> {
  const title = await owner.post('/api/v1/titles', { kind: 'movie', name: 'Streams' })
  const rows = await execute(`INSERT INTO media (title_id, owner_id, status, progress) VALUES (?, ?, 'processing', 0.5) RETURNING id`, [
    title.body.title.id,
    owner.userId,
  ])
  return Number(rows[0].id)
}

const setStatus = (id: number, status: string, progress: number) =>
  execute('UPDATE media SET status = ?, progress = ? WHERE id = ?', [status, progress, id])

// One event stream, as a browser tab would open it, from `localAddress` (another client
// for each address); `Connection: close` so that the end of the stream closes the socket.
async function openStream(mediaId: number, localAddress = '127.0.0.1'): Promise<RawConnection> {
  const connection = await openRaw(server.url, { localAddress })
  const { host } = new URL(server.url)
  await connection.write(`GET /api/v1/media/${mediaId}/events HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`)
  return connection
}

describe('event streams per client', () => {
  test('a client may hold 16 streams; the 17th is a 429 in the error format, other clients are not affected', async () => {
    const mediaId = await processingMedia()
    const streams = await Promise.all(Array.from({ length: 16 }, () => openStream(mediaId)))
    expect((await Promise.all(streams.map(s => s.head))).map(a => a.status)).toEqual(Array(16).fill(200))

    const refusal = await openStream(mediaId)
    expect((await refusal.head).status).toBe(429)
    const refused = await refusal.answer
    expect(refused.head).toMatch(/content-type: application\/json/i)
    expect(JSON.parse(refused.body).error.code).toBe('too_many_streams')

    const otherClient = await openStream(mediaId, '127.0.0.2')
    expect((await otherClient.head).status).toBe(200)

    // A tab that closes gives its place back.
    streams[0].socket.destroy()
    await eventually(async () => {
      const again = await openStream(mediaId)
      const isOpen = (await again.head).status === 200
      if (isOpen) streams[0] = again
      else again.socket.destroy()
      return isOpen
    })
    for (const stream of [...streams, otherClient]) stream.socket.destroy()
  })

  test('streams that end (the video is ready) give their places back', async () => {
    const first = await processingMedia()
    const streams = await Promise.all(Array.from({ length: 16 }, () => openStream(first, '127.0.0.3')))
    await Promise.all(streams.map(s => s.head))
    const refusal = await openStream(first, '127.0.0.3')
    expect((await refusal.head).status).toBe(429)
    await setStatus(first, 'ready', 1)
    await Promise.all(streams.map(s => s.answer))
    const second = await processingMedia()
    const next = await Promise.all(Array.from({ length: 16 }, () => openStream(second, '127.0.0.3')))
    expect((await Promise.all(next.map(s => s.head))).map(a => a.status)).toEqual(Array(16).fill(200))
    for (const stream of next) stream.socket.destroy()
  })
})

describe('listeners of one media', () => {
  test('400 listeners cost the server almost no CPU, and every one of them is told when it is ready', async () => {
    const mediaId = await processingMedia()
    // 40 clients with 10 tabs each.
    const streams: RawConnection[] = []
    for (let client = 0; client < 40; client++)
      for (let tab = 0; tab < 10; tab++) streams.push(await openStream(mediaId, `127.0.1.${client + 1}`))
    expect(new Set((await Promise.all(streams.map(s => s.head))).map(a => a.status))).toEqual(new Set([200]))

    await Bun.sleep(500)
    const cpuBefore = cpuSeconds(server.process.pid)
    await Bun.sleep(3000)
    // Each listener polling the row by itself took ~14% of a core here; one shared poll ~0.
    expect((cpuSeconds(server.process.pid) - cpuBefore) / 3).toBeLessThan(0.05)

    await setStatus(mediaId, 'ready', 1)
    const answers = await Promise.all(streams.map(s => s.answer))
    const lastEvents = answers.map(a => [...a.body.matchAll(/data: (.*)\n/g)].at(-1)?.[1])
    expect(new Set(lastEvents)).toEqual(new Set(['{"status":"ready","progress":1,"error":null}']))
  }, 30_000)
})
