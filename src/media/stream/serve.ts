// The HLS file server behind /media/:mediaId/... (plain HTTP, open to everyone).
//
// Files on disk are the truth, with no database lookup per request: a media's folder
// exists from its upload on and is removed when the media is deleted, and only layout
// names are ever served (never source.*), so there is nothing a row could add. Segment
// requests (several per second per viewer) then cost a few system calls and a sendfile.
import { type Stats, lstatSync, readFileSync, realpathSync } from 'node:fs'
import { errorResponse } from '../../http/errors'
import { type Validators, isNotModified, isRangeStillValid, parseRange } from './http-range'
import { type LayoutFile, cacheControlFor, contentTypes, layoutFileOf } from './layout'

// The path of a request URL exactly as sent (percent-encoding kept), without the query.
function rawPathname(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2)
  const query = url.indexOf('?', start)
  return url.slice(start, query === -1 ? undefined : query)
}

const isRealDirectory = (path: string) => lstatSync(path, { throwIfNoEntry: false })?.isDirectory() === true

// Every step below the data folder must be a real directory and the last a regular file.
// lstat never follows a symlink, so one planted anywhere in a media folder (say, to
// /etc/passwd, or a whole folder elsewhere) makes the file "not found".
// Synchronous on purpose: two or three lookups of cached inodes cost less than trips to
// the thread pool (this is the hot path of playback), and Bun opens the file for
// sendfile on this thread anyway. Layout names are validated (at most one folder), so
// plain concatenation is a safe join.
//
// Rendition folders (`stream_0/`, `audio_en/`, `subs/`) found real are remembered for a
// second, with their media folder: only the server and its workers make them, and it
// spares two of the three lstat calls of a segment request (most of its CPU). The file
// itself is always looked at afresh, so a removed segment is a 404 at once.
type Found = { path: string; stats: Stats }

const folderMemoryMs = 1000
const maxRememberedFolders = 10_000

function layoutLookup(root: string): (file: LayoutFile) => Found | null {
  const realUntilMs = new Map<string, number>()
  const isRealSubfolder = (folder: string, subfolder: string) => {
    const nowMs = Date.now()
    if ((realUntilMs.get(subfolder) ?? 0) > nowMs) return true
    if (!isRealDirectory(folder) || !isRealDirectory(subfolder)) return false
    if (realUntilMs.size >= maxRememberedFolders) realUntilMs.clear()
    realUntilMs.set(subfolder, nowMs + folderMemoryMs)
    return true
  }
  return (file) => {
    const folder = `${root}/${file.mediaId}`
    const slash = file.name.indexOf('/')
    const isInRealFolders =
      slash === -1 ? isRealDirectory(folder) : isRealSubfolder(folder, `${folder}/${file.name.slice(0, slash)}`)
    if (!isInRealFolders) return null
    const path = `${folder}/${file.name}`
    const stats = lstatSync(path, { throwIfNoEntry: false })
    return stats?.isFile() ? { path, stats } : null
  }
}

// Last-Modified of the files recently served: segments of one rendition share a few
// mtimes, and formatting a date is a visible part of a range request's cost.
const httpDates = new Map<number, string>()

function httpDate(ms: number): string {
  let text = httpDates.get(ms)
  if (text === undefined) {
    if (httpDates.size >= 1000) httpDates.clear()
    httpDates.set(ms, (text = new Date(ms).toUTCString()))
  }
  return text
}

function fileValidators(stats: Stats): Validators {
  const stamp = [stats.ino, stats.size, Math.floor(stats.mtimeMs)].map((n) => n.toString(36)).join('-')
  return { etag: `"${stamp}"`, lastModifiedMs: stats.mtimeMs }
}

type Body = { bytes: Blob | Uint8Array<ArrayBuffer>; size: number }

// Playlists are read whole (they are small) to see whether they are finished, and get a
// content hash as ETag, so a playlist replaced within the same second is still told apart.
function loadFile(file: LayoutFile, path: string, stats: Stats) {
  if (file.kind !== 'playlist') {
    const bytes = Bun.file(path)
    return { body: { bytes, size: stats.size }, validators: fileValidators(stats), cacheControl: cacheControlFor(file.kind) }
  }
  const bytes = new Uint8Array(readFileSync(path))
  const text = new TextDecoder().decode(bytes)
  return {
    body: { bytes, size: bytes.byteLength },
    validators: { etag: `"${Bun.hash(bytes).toString(36)}-${bytes.byteLength.toString(36)}"`, lastModifiedMs: stats.mtimeMs },
    cacheControl: cacheControlFor(file.kind, text),
  }
}

function slice(body: Body, start: number, end: number): Blob | Uint8Array<ArrayBuffer> {
  return body.bytes instanceof Blob ? body.bytes.slice(start, end + 1) : body.bytes.subarray(start, end + 1)
}

function answer(request: Request, body: Body, headers: Record<string, string>, validators: Validators): Response {
  if (isNotModified(request.headers, validators)) return new Response(null, { status: 304, headers })
  const range = isRangeStillValid(request.headers, validators)
    ? parseRange(request.headers.get('range'), body.size)
    : { kind: 'full' as const }
  if (range.kind === 'unsatisfiable')
    return new Response(null, { status: 416, headers: { ...headers, 'content-range': `bytes */${body.size}` } })
  if (range.kind === 'full') return new Response(body.bytes, { headers })
  return new Response(slice(body, range.start, range.end), {
    status: 206,
    headers: { ...headers, 'content-range': `bytes ${range.start}-${range.end}/${body.size}` },
  })
}

function notFoundResponse(): Response {
  return errorResponse(404, 'media_file_not_found', 'No such media file', { 'x-content-type-options': 'nosniff' })
}

const isGone = (error: unknown) => (error as NodeJS.ErrnoException | null)?.code === 'ENOENT'

export type MediaFileServer = (request: Request) => Response

// Never throws: it also runs as a Bun route outside Elysia's error handling (main.ts).
// Synchronous from end to end (see layoutLookup): no promise per segment request.
export function createMediaFileServer(mediaDataPath: string): MediaFileServer {
  // MediaDataPath itself may be a symlink to a bigger disk; below it, none are followed.
  const lookUp = layoutLookup(realpathSync(mediaDataPath))

  function serve(request: Request): Response {
    const file = layoutFileOf(rawPathname(request.url))
    const found = file && lookUp(file)
    if (!file || !found) return notFoundResponse()
    const { body, validators, cacheControl } = loadFile(file, found.path, found.stats)
    const headers = {
      'content-type': contentTypes[file.kind],
      'cache-control': cacheControl,
      etag: validators.etag,
      'last-modified': httpDate(validators.lastModifiedMs),
      'accept-ranges': 'bytes',
      'x-content-type-options': 'nosniff',
    }
    return answer(request, body, headers, validators)
  }

  return (request) => {
    try {
      return serve(request)
    } catch (error) {
      // Deleted between the lookup and the read (a media removed, a playlist replaced).
      if (isGone(error)) return notFoundResponse()
      console.error(`GET ${rawPathname(request.url)} failed:`, error)
      return errorResponse(500, 'internal_error', 'Something went wrong on the server')
    }
  }
}

// The file server as a route of Bun itself: segment requests then skip Elysia's
// per-request work (context, cookie and session lookup, CSRF hook), about a fifth of the
// CPU of a 64 KiB range request. Only GET and HEAD; other methods fall through to Elysia.
export function mediaFileRoutes(mediaDataPath: string) {
  const serve = createMediaFileServer(mediaDataPath)
  return { '/media/*': { GET: serve, HEAD: serve } }
}
