// A media folder of HLS segments (random bytes) for the file-serving benchmarks, and the wrk
// script that asks for them.
import { mkdirSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'

export function writeSegments(mediaDir: string, options: { mediaId: number; count: number; bytes: number }) {
  const folder = join(mediaDir, String(options.mediaId), 'stream_0')
  mkdirSync(folder, { recursive: true })
  for (let i = 0; i < options.count; i++) writeFileSync(join(folder, `data${String(i).padStart(4, '0')}.ts`), randomBytes(options.bytes))
}

// wrk walks the segments in turn; with ranges, each request asks 64 KiB at a random offset.
export function segmentsScript(options: { mediaId: number; count: number; size: number; rangeBytes?: number }): string {
  const { mediaId, count, size, rangeBytes } = options
  return `
local count, size, span = ${count}, ${size}, ${rangeBytes ?? 0}
local i = 0
math.randomseed(os.time())
request = function()
  i = i % count + 1
  local path = string.format("/media/${mediaId}/stream_0/data%04d.ts", i - 1)
  ${
    rangeBytes
      ? `local start = math.random(0, size - span)
  return wrk.format("GET", path, { ["Range"] = string.format("bytes=%d-%d", start, start + span - 1) })`
      : 'return wrk.format("GET", path)'
  }
end
`
}
