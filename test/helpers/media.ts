// Upload helpers for media tests: raw requests with a client's credentials (tus needs
// headers and bodies the JSON client does not send), tus 1.0 creation/PATCH/HEAD, and
// random "video" bytes.
import { createHash, randomBytes } from 'node:crypto'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Client } from './client'
import type { TestServer } from './server'

export const tusVersion = { 'tus-resumable': '1.0.0' }

export function randomVideo(bytes: number): Uint8Array<ArrayBuffer> {
  return new Uint8Array(randomBytes(bytes))
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

export function uploadsDir(server: TestServer): string {
  return join(server.mediaDir, '.uploads')
}

// File names in a folder, sorted; none when it does not exist.
export function filesIn(dir: string): string[] {
  try {
    return readdirSync(dir).sort()
  } catch {
    return []
  }
}

// Polls until `isDone()` holds (the server finishes some things after answering).
export async function eventually(isDone: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      if (await isDone()) return
    } catch {}
    if (Date.now() > deadline) throw new Error('condition not reached in time')
    await Bun.sleep(25)
  }
}

// Polls `probe` until it answers something, and answers that.
export async function until<T>(
  probe: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs = 60_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value) return value
    if (Date.now() > deadline) throw new Error('condition not reached in time')
    await Bun.sleep(intervalMs)
  }
}

// The headers a browser tab (cookies, Origin, CSRF token) or a script (bearer) would send.
export function credentialsOf(client: Client | null): Record<string, string> {
  if (!client) return {}
  const headers: Record<string, string> = { origin: new URL(client.baseUrl).origin }
  if (client.bearer) headers.authorization = `Bearer ${client.bearer}`
  if (client.cookies.size > 0) headers.cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  if (client.csrfToken) headers['x-csrf-token'] = client.csrfToken
  return headers
}

export type SendOptions = { headers?: Record<string, string>; body?: BodyInit | Uint8Array<ArrayBuffer> }

// A raw request as `client`; `path` may be absolute (a tus Location).
// Without a client, an anonymous request (`path` must then be absolute).
export function send(client: Client | null, method: string, path: string, options: SendOptions = {}): Promise<Response> {
  const url = /^https?:\/\//.test(path) ? path : (client?.baseUrl ?? '') + path
  return fetch(url, {
    method,
    headers: { ...credentialsOf(client), ...options.headers },
    body: options.body as BodyInit | undefined,
    redirect: 'manual',
  })
}

// Upload-Metadata: comma-separated `key base64(value)` pairs.
export function tusMetadata(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key} ${Buffer.from(value).toString('base64')}`)
    .join(',')
}

export function createTusUpload(
  client: Client,
  options: { length: number | string; target: string; filename?: string; headers?: Record<string, string> },
): Promise<Response> {
  return send(client, 'POST', '/api/v1/uploads', {
    headers: {
      ...tusVersion,
      'upload-length': String(options.length),
      'upload-metadata': tusMetadata({ filename: options.filename ?? 'film.mp4', target: options.target }),
      ...options.headers,
    },
  })
}

export function patchUpload(client: Client, location: string, offset: number, bytes: Uint8Array<ArrayBuffer>): Promise<Response> {
  return send(client, 'PATCH', location, {
    headers: { ...tusVersion, 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' },
    body: bytes,
  })
}

export async function uploadOffset(client: Client, location: string): Promise<number> {
  const answer = await send(client, 'HEAD', location, { headers: tusVersion })
  return Number(answer.headers.get('upload-offset'))
}
