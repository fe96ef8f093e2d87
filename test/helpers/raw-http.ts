// HTTP/1.1 over a plain socket, for what fetch() will not send as written: paths with
// `..`, `%2e%2e` or `%00` (fetch normalizes them), lying headers, bodies that stop halfway.
import { type Socket, connect } from 'node:net'

export type RawAnswer = { status: number; head: string; body: string }

function parseAnswer(text: string): RawAnswer {
  const end = text.indexOf('\r\n\r\n')
  const head = end === -1 ? text : text.slice(0, end)
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0)
  return { status, head, body: end === -1 ? '' : text.slice(end + 4) }
}

export type RawConnection = {
  socket: Socket
  write: (data: string | Uint8Array) => Promise<void>
  // Everything the server sent until it closed the connection (or the socket was destroyed).
  answer: Promise<RawAnswer>
  // The status line and headers, as soon as they have arrived (the body may still come).
  head: Promise<RawAnswer>
  // What has arrived so far.
  received: () => RawAnswer
}

// `localAddress` (any 127.x.y.z on Linux) makes the connection come from another client.
export function openRaw(baseUrl: string, options: { localAddress?: string } = {}): Promise<RawConnection> {
  const { hostname, port } = new URL(baseUrl)
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), localAddress: options.localAddress }, () => {
      const chunks: Buffer[] = []
      const received = () => Buffer.concat(chunks).toString('latin1')
      let headArrived: (answer: RawAnswer) => void
      const head = new Promise<RawAnswer>(done => (headArrived = done))
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk)
        if (received().includes('\r\n\r\n')) headArrived(parseAnswer(received()))
      })
      const answer = new Promise<RawAnswer>(done => {
        socket.on('close', () => {
          headArrived(parseAnswer(received()))
          done(parseAnswer(received()))
        })
      })
      const write = (data: string | Uint8Array) =>
        new Promise<void>((written, failed) => socket.write(data, error => (error ? failed(error) : written())))
      resolve({ socket, write, answer, head, received: () => parseAnswer(received()) })
    })
    socket.on('error', reject)
  })
}

// One request with `Connection: close`; `lines` are the request line and headers.
export async function rawRequest(baseUrl: string, lines: string[], body: string | Uint8Array = ''): Promise<RawAnswer> {
  const connection = await openRaw(baseUrl)
  const { host } = new URL(baseUrl)
  await connection.write(`${[...lines, `Host: ${host}`, 'Connection: close'].join('\r\n')}\r\n\r\n`)
  if (body.length > 0) await connection.write(body)
  return connection.answer
}
