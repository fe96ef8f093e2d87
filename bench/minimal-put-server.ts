// The yardstick for bench/upload.ts: the least a Bun server can do to store a PUT body
// on disk (stream it to a file, fsync, answer). The bench removes the files. Usage: bun bench/minimal-put-server.ts <folder>
import { open } from 'node:fs/promises'
import { join } from 'node:path'

const folder = process.argv[2]
if (!folder) throw new Error('usage: bun bench/minimal-put-server.ts <folder>')

let counter = 0
const server = Bun.serve({
  hostname: '127.0.0.1',
  port: 0,
  maxRequestBodySize: Number.MAX_SAFE_INTEGER,
  idleTimeout: 120,
  async fetch(request) {
    const path = join(folder, `upload-${++counter}`)
    const handle = await open(path, 'w')
    let bytes = 0
    try {
      for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
        await handle.write(chunk)
        bytes += chunk.byteLength
      }
      await handle.sync()
    } finally {
      await handle.close()
    }
    return Response.json({ bytes })
  },
})
console.log(`listening on http://127.0.0.1:${server.port}`)
