// HTTP requests from a chosen source address: Linux routes all of 127.0.0.0/8 to the
// loopback, so a test binds 127.x.y.z as its side of the connection and the server sees
// another client (fetch() cannot choose its source address; node:http can, under Bun too).
import { request } from 'node:http'
import type { Json } from './client'

export type FromAnswer = { status: number; headers: Record<string, string | string[] | undefined>; text: string; body: Json; ms: number }

export type FromOptions = {
  method?: string
  headers?: Record<string, string>
  body?: unknown
  form?: Record<string, string>
  // Closes the connection this long after sending, answered or not (then status 0).
  hangUpAfterMs?: number
}

export function requestFrom(localAddress: string, url: string, options: FromOptions = {}): Promise<FromAnswer> {
  const target = new URL(url)
  const headers: Record<string, string> = { ...options.headers }
  let payload: string | undefined
  if (options.form) {
    payload = new URLSearchParams(options.form).toString()
    headers['content-type'] = 'application/x-www-form-urlencoded'
  } else if (options.body !== undefined) {
    payload = JSON.stringify(options.body)
    headers['content-type'] = 'application/json'
  }
  const startedAt = performance.now()
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: target.hostname,
        port: Number(target.port),
        path: target.pathname + target.search,
        method: options.method ?? 'GET',
        localAddress,
        headers,
        agent: false,
      },
      incoming => {
        let text = ''
        incoming.setEncoding('utf8')
        incoming.on('data', (chunk: string) => (text += chunk))
        incoming.on('end', () => {
          let body: unknown = text
          try {
            body = JSON.parse(text)
          } catch {}
          resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, text, body, ms: performance.now() - startedAt })
        })
      },
    )
    outgoing.on('error', error => (outgoing.destroyed && options.hangUpAfterMs !== undefined ? undefined : reject(error)))
    outgoing.end(payload)
    if (options.hangUpAfterMs !== undefined)
      setTimeout(() => {
        outgoing.destroy()
        resolve({ status: 0, headers: {}, text: '', body: undefined, ms: performance.now() - startedAt })
      }, options.hangUpAfterMs)
  })
}
