// The job's source, fetched with Range requests into `<dir>/sources/<etag hash>.part` and
// renamed once complete. A runner killed mid-download and started again asks only for the
// bytes it does not have: `Range: bytes=<what the .part holds>-` with `If-Range: <etag>`,
// so a source that changed meanwhile comes whole (200) and the part starts over.
import { createHash } from 'node:crypto'
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { call } from './api'

export type SourceToFetch = { server: string; jobToken: string; jobId: number; sizeBytes: number; etag: string }

export type Downloaded = { path: string; resumedFromBytes: number }

const sizeOf = (path: string) =>
  stat(path).then(
    info => info.size,
    () => null,
  )

export function sourceFileName(etag: string): string {
  return createHash('sha256').update(etag).digest('hex').slice(0, 32)
}

export async function downloadSource(sourcesDir: string, source: SourceToFetch, signal?: AbortSignal): Promise<Downloaded> {
  await mkdir(sourcesDir, { recursive: true })
  const path = join(sourcesDir, sourceFileName(source.etag))
  if ((await sizeOf(path)) === source.sizeBytes) return { path, resumedFromBytes: source.sizeBytes }
  const partPath = `${path}.part`
  const have = (await sizeOf(partPath)) ?? 0
  if (have === source.sizeBytes) {
    await rename(partPath, path)
    return { path, resumedFromBytes: have }
  }
  const range = have > 0 && have < source.sizeBytes ? { range: `bytes=${have}-`, 'if-range': source.etag } : undefined
  const answer = await call(source.server, 'GET', `/api/v1/runners/jobs/${source.jobId}/source`, {
    token: source.jobToken,
    headers: range,
    signal,
  })
  const isResumed = answer.status === 206
  const file = await open(partPath, isResumed ? 'a' : 'w')
  try {
    if (!answer.body) throw new Error('the origin sent the source without a body')
    const reader = answer.body.getReader()
    for (let next = await reader.read(); !next.done; next = await reader.read()) await file.write(next.value)
    await file.sync()
  } finally {
    await file.close()
  }
  const size = await sizeOf(partPath)
  if (size !== source.sizeBytes) throw new Error(`the source came out at ${size} bytes, not ${source.sizeBytes}`)
  await rename(partPath, path)
  return { path, resumedFromBytes: isResumed ? have : 0 }
}

// Parts left by jobs that went elsewhere while this runner was down: after a day, no resume
// is coming for them.
export async function forgetOldSources(sourcesDir: string, maxAgeMs = 24 * 3600_000) {
  const names = await readdir(sourcesDir).catch(() => [] as string[])
  for (const name of names) {
    const path = join(sourcesDir, name)
    const info = await stat(path).catch(() => null)
    if (info && Date.now() - info.mtimeMs > maxAgeMs) await rm(path, { force: true })
  }
}
