// bun bench/requests.ts — what requests that only tie up the server cost it:
//  - peak RSS of the server while one client sends a 1 GiB chunked POST /register
//    (BENCH_BODY_MIB), and how much of it was sent before the server answered;
//  - CPU of the server while BENCH_STREAMS (1000) anonymous event streams of one media in
//    processing stay open, over BENCH_SECONDS (10). The streams come from many loopback
//    addresses (127.0.x.y), as from many clients, so no per-client cap refuses them.
import { type Socket, connect } from 'node:net'
import { openServerDatabase } from '../test/helpers/catalogue'
import { signUp } from '../test/helpers/client'
import { cpuSeconds, rssBytes } from '../test/helpers/proc'
import { startServer, type TestServer } from '../test/helpers/server'

const bodyMiB = Number(process.env.BENCH_BODY_MIB ?? 1024)
const streamCount = Number(process.env.BENCH_STREAMS ?? 1000)
const seconds = Number(process.env.BENCH_SECONDS ?? 10)

const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MB`

function socketTo(server: TestServer, localAddress?: string): Promise<Socket> {
  const { hostname, port } = new URL(server.url)
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), localAddress }, () => resolve(socket))
    socket.once('error', reject)
  })
}

function drainedOrClosed(socket: Socket): Promise<void> {
  return new Promise(done => {
    const finish = () => {
      socket.off('drain', finish).off('close', finish)
      done()
    }
    socket.on('drain', finish).on('close', finish)
  })
}

async function chunkedRegister(server: TestServer) {
  const pid = server.process.pid
  const rssBefore = rssBytes(pid)
  let peak = rssBefore
  const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(pid))), 20)
  const socket = await socketTo(server)
  let answer = ''
  let isClosed = false
  socket.on('data', data => (answer += data.toString('latin1')))
  socket.on('close', () => (isClosed = true))
  socket.on('error', () => {})
  const { host } = new URL(server.url)
  socket.write(
    [
      'POST /register HTTP/1.1',
      `Host: ${host}`,
      `Origin: ${server.url}`,
      'Content-Type: application/x-www-form-urlencoded',
      'Transfer-Encoding: chunked',
      '',
      '',
    ].join('\r\n'),
  )
  const chunk = Buffer.concat([Buffer.from('100000\r\n'), Buffer.alloc(1024 * 1024, 'a'), Buffer.from('\r\n')])
  const started = performance.now()
  let sentMiB = 0
  while (sentMiB < bodyMiB && !isClosed && answer === '') {
    if (!socket.write(chunk)) await drainedOrClosed(socket)
    sentMiB += 1
  }
  if (!isClosed && answer === '') socket.write('0\r\n\r\n')
  while (!isClosed && answer === '' && performance.now() - started < 120_000) await Bun.sleep(20)
  const elapsedS = (performance.now() - started) / 1000
  socket.destroy()
  await Bun.sleep(200)
  clearInterval(sampler)
  const status = /^HTTP\/1\.1 (\d+)/.exec(answer)?.[1] ?? (isClosed ? 'closed' : 'none')
  console.log(
    `chunked POST /register of ${bodyMiB} MiB: answered ${status} after ${sentMiB} MiB sent, ${elapsedS.toFixed(1)} s; ` +
      `server RSS ${mib(rssBefore)} before, peak ${mib(peak)}`,
  )
}

async function processingMedia(server: TestServer): Promise<number> {
  const owner = await signUp(server.url)
  const title = await owner.post('/api/v1/titles', { kind: 'movie', name: 'Bench' })
  const db = openServerDatabase(server)
  try {
    const result = await db.execute({
      sql: `INSERT INTO media (title_id, owner_id, status, progress) VALUES (?, 1, 'processing', 0.5) RETURNING id`,
      args: [title.body.title.id],
    })
    return Number(result.rows[0].id)
  } finally {
    db.close()
  }
}

async function openStream(server: TestServer, mediaId: number, index: number): Promise<{ socket: Socket; status: Promise<string> }> {
  const socket = await socketTo(server, `127.0.${1 + Math.floor(index / 250)}.${1 + (index % 250)}`)
  const status = new Promise<string>(resolve => {
    socket.once('data', data => resolve(/^HTTP\/1\.1 (\d+)/.exec(data.toString('latin1'))?.[1] ?? '?'))
    socket.once('close', () => resolve('closed'))
  })
  socket.on('error', () => {})
  socket.write(`GET /api/v1/media/${mediaId}/events HTTP/1.1\r\nHost: ${new URL(server.url).host}\r\n\r\n`)
  return { socket, status }
}

async function eventStreams(server: TestServer) {
  const mediaId = await processingMedia(server)
  const streams = []
  for (let i = 0; i < streamCount; i++) streams.push(await openStream(server, mediaId, i))
  const statuses = await Promise.all(streams.map(s => s.status))
  const counts = Object.entries(Object.groupBy(statuses, s => s)).map(([s, list]) => `${list?.length ?? 0}× ${s}`)
  await Bun.sleep(1000)
  const cpuBefore = cpuSeconds(server.process.pid)
  await Bun.sleep(seconds * 1000)
  const cpuUsed = cpuSeconds(server.process.pid) - cpuBefore
  for (const { socket } of streams) socket.destroy()
  console.log(
    `${streamCount} event streams of one media (${counts.join(', ')}): server CPU ${((cpuUsed / seconds) * 100).toFixed(1)}% of a core over ${seconds} s`,
  )
}

const server = await startServer()
try {
  await chunkedRegister(server)
  await eventStreams(server)
} finally {
  await server.stop()
}
