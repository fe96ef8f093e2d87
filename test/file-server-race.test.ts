// A segment removed or replaced while it is being asked for (a retry sets the previous
// attempt's segments aside, a media is deleted): every answer is either the whole file,
// byte for byte, or the file server's own 404 in the error format, never a 500 or an
// error page of the runtime.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type TestServer, startServer } from './helpers/server'

let server: TestServer

beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server?.stop())

const sha256 = (bytes: ArrayBuffer) => new Bun.CryptoHasher('sha256').update(bytes).digest('hex')

test('a segment renamed away and back while it is asked for is answered whole or 404, never 500', async () => {
  const folder = join(server.mediaDir, '424242', 'stream_0')
  mkdirSync(folder, { recursive: true })
  const segment = join(folder, 'data0000.ts')
  // Over 1 MiB: Bun sends it with sendfile, opening it after the handler has answered.
  const bytes = crypto.getRandomValues(new Uint8Array(2 * 1024 * 1024))
  writeFileSync(segment, bytes)
  const expected = sha256(bytes.buffer)
  const renamer = Bun.spawn(
    [
      'bun',
      '-e',
      `const fs = require('node:fs'); const end = Date.now() + 4000; while (Date.now() < end) { fs.renameSync(${JSON.stringify(segment)}, ${JSON.stringify(`${segment}.aside`)}); fs.renameSync(${JSON.stringify(`${segment}.aside`)}, ${JSON.stringify(segment)}) }`,
    ],
    { stdout: 'inherit', stderr: 'inherit' },
  )
  const answers = new Map<string, number>()
  const count = (kind: string) => answers.set(kind, (answers.get(kind) ?? 0) + 1)
  while (renamer.exitCode === null) {
    const response = await fetch(`${server.url}/media/424242/stream_0/data0000.ts`)
    const body = await response.arrayBuffer()
    if (response.status === 200) count(sha256(body) === expected ? '200 whole' : '200 other bytes')
    else if (response.status === 404)
      count(JSON.parse(new TextDecoder().decode(body)).error?.code === 'media_file_not_found' ? '404' : '404 other')
    else count(`${response.status} ${response.headers.get('content-type')}`)
  }
  await renamer.exited
  console.log('answers while renaming:', Object.fromEntries(answers))
  expect([...answers.keys()].filter(kind => kind !== '200 whole' && kind !== '404')).toEqual([])
  expect(answers.get('200 whole') ?? 0).toBeGreaterThan(0)
}, 60_000)
