// Bodies of pages and of the JSON API (every route but the uploads) are small: a body that
// is too large is refused before it is buffered, chunked or not, and one that arrives too
// slowly is cut, so no client ties up the server's memory or a request forever.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { addTitle, expectError } from './helpers/catalogue'
import { type Client, signUp, uniqueName } from './helpers/client'
import { eventually } from './helpers/media'
import { rssBytes } from './helpers/proc'
import { openRaw, type RawAnswer, type RawConnection } from './helpers/raw-http'
import { startServer, type TestServer } from './helpers/server'

const bodyTimeoutS = 1
let server: TestServer
const username = uniqueName()
let user: Client

beforeAll(async () => {
  server = await startServer({ ini: { BodyTimeoutSeconds: bodyTimeoutS } })
  user = await signUp(server.url, username)
})
afterAll(() => server.stop())

type Sending = RawConnection & { hasAnswered: boolean }

// A request whose body the test sends itself, part by part, on a keep-alive connection as
// browsers and curl use.
async function startRequest(requestLine: string, headers: string[]): Promise<Sending> {
  const connection = Object.assign(await openRaw(server.url), { hasAnswered: false })
  void connection.head.then(() => (connection.hasAnswered = true))
  const { host } = new URL(server.url)
  const lines = [requestLine, `Host: ${host}`, `Origin: ${server.url}`, ...headers]
  await connection.write(`${lines.join('\r\n')}\r\n\r\n`)
  return connection
}

// The whole answer on a connection kept open: its head, then as much body as it declares.
async function completeAnswer(connection: RawConnection): Promise<RawAnswer> {
  const { head } = await connection.head
  const length = Number(/^content-length: (\d+)/im.exec(head)?.[1] ?? 0)
  await eventually(() => connection.received().body.length >= length)
  return connection.received()
}

const isOpen = (connection: Sending) => !connection.socket.destroyed && !connection.hasAnswered

const chunk = (data: string | Uint8Array) =>
  Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), Buffer.from(data), Buffer.from('\r\n')])

// Sends 1 MiB chunks until the server answers (or `maxMiB` went out); the MiB sent.
async function sendChunksUntilAnswered(connection: Sending, maxMiB: number): Promise<number> {
  const mebibyte = chunk(new Uint8Array(1024 * 1024).fill(97))
  let sentMiB = 0
  while (sentMiB < maxMiB && isOpen(connection)) {
    await connection.write(mebibyte).catch(() => {})
    sentMiB += 1
  }
  return sentMiB
}

describe('body size', () => {
  test('a chunked page form is cut with 413 as soon as it passes the limit, never buffered', async () => {
    const rssBefore = rssBytes(server.process.pid)
    let peak = rssBefore
    const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(server.process.pid))), 10)
    const connection = await startRequest('POST /register HTTP/1.1', [
      'Content-Type: application/x-www-form-urlencoded',
      'Transfer-Encoding: chunked',
    ])
    const sentMiB = await sendChunksUntilAnswered(connection, 256)
    const answer = await Promise.race([connection.head, Bun.sleep(5000).then(() => null)])
    clearInterval(sampler)
    connection.socket.destroy()
    expect(answer?.status).toBe(413)
    // What socket buffers held when the answer came; the server itself kept none of it.
    expect(sentMiB).toBeLessThan(64)
    expect(peak - rssBefore).toBeLessThan(48 * 1024 * 1024)
  }, 60_000)

  test('a chunked JSON body is counted too: within the limit it is read, past it a 413', async () => {
    const login = JSON.stringify({ username, password: 'correct horse 1' })
    const small = await startRequest('POST /api/v1/auth/login HTTP/1.1', ['Content-Type: application/json', 'Transfer-Encoding: chunked'])
    await small.write(Buffer.concat([chunk(login.slice(0, 10)), chunk(login.slice(10)), Buffer.from('0\r\n\r\n')]))
    expect((await small.head).status).toBe(200)
    small.socket.destroy()

    const large = await startRequest('POST /api/v1/auth/login HTTP/1.1', ['Content-Type: application/json', 'Transfer-Encoding: chunked'])
    await sendChunksUntilAnswered(large, 64)
    const answer = await completeAnswer(large)
    expect(answer.status).toBe(413)
    expect(JSON.parse(answer.body).error.code).toBe('payload_too_large')
    large.socket.destroy()
  }, 30_000)

  test('a page form declaring more than the limit is refused before it is sent; the longest real form fits', async () => {
    const connection = await startRequest('POST /login HTTP/1.1', [
      'Content-Type: application/x-www-form-urlencoded',
      `Content-Length: ${256 * 1024}`,
    ])
    const head = await Promise.race([connection.head, Bun.sleep(3000).then(() => null)])
    expect(head?.status).toBe(413)
    connection.socket.destroy()

    // A review of 10,000 characters that take 3 bytes each in UTF-8 (9 percent-encoded).
    const titleId = (await addTitle(user, { name: 'Long review' })).id
    const review = '語'.repeat(10_000)
    const form = new URLSearchParams({ body: review, _csrf: user.csrfToken! }).toString()
    expect(form.length).toBeGreaterThan(64 * 1024)
    const posted = await user.post(`/titles/${titleId}/reviews`, form, {
      sendCsrf: false,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(posted.status).toBeLessThan(400)
    const reviews = await user.get(`/api/v1/titles/${titleId}/reviews`)
    expect(reviews.body.items.map((r: { body: string }) => r.body)).toEqual([review])
  })
})

describe('body pace', () => {
  // One byte every 300 ms: alive to any idle timeout, yet never done.
  async function trickle(connection: Sending, part: string) {
    while (isOpen(connection)) {
      await connection.write(part).catch(() => {})
      await Bun.sleep(300)
    }
  }

  test('a page form trickled byte by byte is cut with 408 after the timeout, and the connection closed', async () => {
    const started = performance.now()
    const connection = await startRequest('POST /login HTTP/1.1', [
      'Content-Type: application/x-www-form-urlencoded',
      'Content-Length: 100',
    ])
    void trickle(connection, 'a')
    const answer = await Promise.race([connection.answer, Bun.sleep(6000).then(() => null)])
    connection.socket.destroy()
    expect(answer?.status).toBe(408)
    expect(answer?.head).toMatch(/^connection: close/im)
    const elapsedS = (performance.now() - started) / 1000
    expect(elapsedS).toBeGreaterThanOrEqual(bodyTimeoutS * 0.9)
    expect(elapsedS).toBeLessThan(bodyTimeoutS + 3)
  }, 10_000)

  test('a chunked API body trickled is cut with 408; a large body sent slowly but steadily is not', async () => {
    const slow = await startRequest('POST /api/v1/titles HTTP/1.1', ['Content-Type: application/json', 'Transfer-Encoding: chunked'])
    void trickle(slow, chunk('{').toString())
    const answer = await Promise.race([slow.answer, Bun.sleep(6000).then(() => null)])
    slow.socket.destroy()
    expect(answer?.status).toBe(408)
    expect(JSON.parse(answer!.body).error.code).toBe('request_timeout')

    // 600 KB (JSON padded with spaces) in ten parts over 2.5 s: past the timeout, at ~240 KB/s.
    const token = (await user.post('/api/v1/tokens', { name: 'slow' })).body.token
    const body = Buffer.from(`{"kind":"movie","name":"Slow but steady"${' '.repeat(600_000)}}`)
    const steady = await startRequest('POST /api/v1/titles HTTP/1.1', [
      'Content-Type: application/json',
      `Content-Length: ${body.length}`,
      `Authorization: Bearer ${token}`,
    ])
    const part = Math.ceil(body.length / 10)
    for (let offset = 0; offset < body.length; offset += part) {
      await steady.write(body.subarray(offset, offset + part))
      await Bun.sleep(250)
    }
    const created = await completeAnswer(steady)
    steady.socket.destroy()
    expect(created.status).toBe(201)
    expect(JSON.parse(created.body).title.name).toBe('Slow but steady')
  }, 20_000)
})

test('the server still answers after all of this', async () => {
  expectError(await user.get('/api/v1/media/999999'), 404, 'media_not_found')
})
