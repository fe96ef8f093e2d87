// A reference point for bench/serve.ts: the least a Bun server does to answer a segment
// or a single range (one stat, Bun.file and its slice, no checks, no validators), so the
// report shows what part of the distance to nginx is Bun's own.
// Usage: bun bench/minimal-file-server.ts <folder served as />
import { statSync } from 'node:fs'

const root = process.argv[2]
if (!root) throw new Error('usage: bun bench/minimal-file-server.ts <folder>')

const server = Bun.serve({
  hostname: '127.0.0.1',
  port: 0,
  fetch(request) {
    const url = request.url
    const path = root + url.slice(url.indexOf('/', url.indexOf('//') + 2))
    const size = statSync(path).size
    const range = /^bytes=(\d+)-(\d+)$/.exec(request.headers.get('range') ?? '')
    if (!range) return new Response(Bun.file(path), { headers: { 'content-type': 'video/mp2t' } })
    const start = Number(range[1])
    const end = Math.min(Number(range[2]), size - 1)
    return new Response(Bun.file(path).slice(start, end + 1), {
      status: 206,
      headers: { 'content-type': 'video/mp2t', 'content-range': `bytes ${start}-${end}/${size}` },
    })
  },
})
console.log(`listening on http://127.0.0.1:${server.port}`)
