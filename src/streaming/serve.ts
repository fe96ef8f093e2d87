// streaming/: the HLS file server behind /media/:mediaId/... (plain HTTP; open to everyone unless Browsing=members).
//
// Files on disk are the truth, with no database lookup per request: a media's folder
// exists from its upload on and is removed when the media is deleted, and only layout
// names are ever served (never source.*), so there is nothing a row could add. Segment
// requests (several per second per viewer) then cost a few system calls and a sendfile.
import { type Stats, lstatSync, readFileSync, realpathSync } from 'node:fs'
import type { Server } from 'bun'
import type { Config, CorsOrigins } from '../config'
import { errorResponse } from '../http/errors'
import { corsFor } from './cors'
import { type Validators, isNotModified, isRangeStillValid, parseRange } from './http-range'
import { type CacheScope, type FileKind, type LayoutFile, cacheControlFor, contentTypes, layoutFileOf } from './layout'
import { remember } from './remember'

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

function layoutLookup(root: string): (file: LayoutFile) => Found | null {
  const realUntilMs = new Map<string, number>()
  const isRealSubfolder = (folder: string, subfolder: string) => {
    const nowMs = Date.now()
    if ((realUntilMs.get(subfolder) ?? 0) > nowMs) return true
    if (!isRealDirectory(folder) || !isRealDirectory(subfolder)) return false
    remember(realUntilMs, subfolder, nowMs + folderMemoryMs)
    return true
  }
  return file => {
    const folder = `${root}/${file.mediaId}`
    const slash = file.name.indexOf('/')
    const isInRealFolders = slash === -1 ? isRealDirectory(folder) : isRealSubfolder(folder, `${folder}/${file.name.slice(0, slash)}`)
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
  return httpDates.get(ms) ?? remember(httpDates, ms, new Date(ms).toUTCString(), 1000)
}

function answerHeaders(kind: FileKind, cacheControl: string, validators: Validators): Headers {
  return new Headers({
    'content-type': contentTypes[kind],
    'cache-control': cacheControl,
    etag: validators.etag,
    'last-modified': httpDate(validators.lastModifiedMs),
    'accept-ranges': 'bytes',
    'x-content-type-options': 'nosniff',
  })
}

// An answer's bytes: the whole file, or the part from `start` to `end` (inclusive).
type Body = { size: number; slice(start: number, end: number): Blob | Uint8Array<ArrayBuffer> }
type Loaded = { body: Body; validators: Validators; headers: Headers }
type FileAnswer = { ino: number; size: number; mtimeMs: number; validators: Validators; headers: Headers }

// Viewers watch few files at a time: a couple of thousand answers are enough to remember.
const maxRememberedAnswers = 2048

// Segments, subtitles and posters never change under their name: what is said about one
// (validators, headers) is made once per file (inode, size, mtime) and reused while the
// file is the same. Bun copies a Headers object into a Response faster than it reads a
// plain object's properties: about a quarter of a range request's own work.
function fileLoader(scope: CacheScope) {
  const answers = new Map<string, FileAnswer>()
  const answerFor = (file: LayoutFile, path: string, stats: Stats): FileAnswer => {
    const known = answers.get(path)
    if (known && known.ino === stats.ino && known.size === stats.size && known.mtimeMs === stats.mtimeMs) return known
    const version = [stats.ino, stats.size, Math.floor(stats.mtimeMs)].map(n => n.toString(36)).join('-')
    const validators = { etag: `"${version}"`, lastModifiedMs: stats.mtimeMs }
    const { ino, size, mtimeMs } = stats
    const headers = answerHeaders(file.kind, cacheControlFor(file, undefined, scope), validators)
    return remember(answers, path, { ino, size, mtimeMs, validators, headers }, maxRememberedAnswers)
  }
  return (file: LayoutFile, path: string, stats: Stats): Loaded => {
    if (file.kind === 'playlist') return loadPlaylist(file, path, stats, scope)
    const { validators, headers } = answerFor(file, path, stats)
    return { body: fileBody(path, stats.size), validators, headers }
  }
}

// Bun sends a file body with sendfile from 1 MiB up, and reads smaller ones into memory.
// (Kept memory maps of small files were tried, and measured slower: bench/serve.ts.)
function fileBody(path: string, size: number): Body {
  return {
    size,
    slice: (start, end) => (start === 0 && end + 1 === size ? Bun.file(path) : Bun.file(path).slice(start, end + 1)),
  }
}

// Playlists are read whole (they are small) to see whether they are finished, and get a
// content hash as ETag, so a playlist replaced within the same second is still told apart.
function loadPlaylist(file: LayoutFile, path: string, stats: Stats, scope: CacheScope): Loaded {
  const bytes = new Uint8Array(readFileSync(path))
  const text = new TextDecoder().decode(bytes)
  const validators = { etag: `"${Bun.hash(bytes).toString(36)}-${bytes.byteLength.toString(36)}"`, lastModifiedMs: stats.mtimeMs }
  const body = { size: bytes.byteLength, slice: (start: number, end: number) => bytes.subarray(start, end + 1) }
  return { body, validators, headers: answerHeaders('playlist', cacheControlFor(file, text, scope), validators) }
}

function withContentRange(headers: Headers, value: string): Headers {
  const copy = new Headers(headers)
  copy.set('content-range', value)
  return copy
}

function answer(request: Request, { body, validators, headers }: Loaded): Response {
  if (isNotModified(request.headers, validators)) return new Response(null, { status: 304, headers })
  const range = isRangeStillValid(request.headers, validators)
    ? parseRange(request.headers.get('range'), body.size)
    : { kind: 'full' as const }
  if (range.kind === 'unsatisfiable')
    return new Response(null, { status: 416, headers: withContentRange(headers, `bytes */${body.size}`) })
  if (range.kind === 'full') return new Response(body.slice(0, body.size - 1), { headers })
  return new Response(body.slice(range.start, range.end), {
    status: 206,
    headers: withContentRange(headers, `bytes ${range.start}-${range.end}/${body.size}`),
  })
}

function notFoundResponse(): Response {
  return errorResponse('media_file_not_found', 'No such media file', { 'x-content-type-options': 'nosniff' })
}

const isGone = (error: unknown) => (error as NodeJS.ErrnoException | null)?.code === 'ENOENT'

export type MediaFileServer = (request: Request) => Response

// Bun opens a file body only after the route has answered (for sendfile): a file removed in
// between (a retry setting segments aside, a media deleted) fails there, outside any handler,
// and reaches the server's `error` callback (main.ts), which answers with this.
export function unsentFileResponse(error: unknown): Response {
  if (isGone(error)) return notFoundResponse()
  console.error('sending a file failed:', error)
  return errorResponse('internal_error', 'Something went wrong on the server')
}

// Never throws: it also runs as a Bun route outside Elysia's error handling (main.ts).
// Synchronous from end to end (see layoutLookup): no promise per segment request.
// `cacheScope`: private when every request needs a signed-in user (Browsing=members).
export type FileServerOptions = { corsOrigins?: CorsOrigins; cacheScope?: CacheScope }

export function fileServerOptionsOf(config: Pick<Config, 'corsOrigins' | 'browsing'>): FileServerOptions {
  return { corsOrigins: config.corsOrigins, cacheScope: config.browsing === 'members' ? 'private' : 'public' }
}

export function createMediaFileServer(mediaDataPath: string, options: FileServerOptions = {}): MediaFileServer {
  // MediaDataPath itself may be a symlink to a bigger disk; below it, none are followed.
  const root = realpathSync(mediaDataPath)
  const lookUp = layoutLookup(root)
  const load = fileLoader(options.cacheScope ?? 'public')
  const cors = corsFor(options.corsOrigins ?? { kind: 'none' })

  function serve(request: Request): Response {
    if (request.method === 'OPTIONS') return cors.preflight(request)
    const file = layoutFileOf(rawPathname(request.url))
    const found = file && lookUp(file)
    if (!file || !found) return notFoundResponse()
    return answer(request, load(file, found.path, found.stats))
  }

  function serveOrFail(request: Request): Response {
    try {
      return serve(request)
    } catch (error) {
      // Deleted between the lookup and the read (a media removed, a playlist replaced).
      if (isGone(error)) return notFoundResponse()
      console.error(`GET ${rawPathname(request.url)} failed:`, error)
      return errorResponse('internal_error', 'Something went wrong on the server')
    }
  }

  return request => cors.apply(request, serveOrFail(request))
}

// The file server as a route of Bun itself: segment requests then skip Elysia's
// per-request work (context, cookie and session lookup, CSRF hook), about a fifth of the
// CPU of a 64 KiB range request. GET, HEAD and the CORS preflight; other methods fall
// through to Elysia. `gate` (Browsing=members) answers instead when it refuses a request.
export type Gate = (request: Request, server: Server<unknown>) => Promise<Response | null>

export function mediaFileRoutes(mediaDataPath: string, options: FileServerOptions & { gate?: Gate } = {}) {
  const serve = createMediaFileServer(mediaDataPath, options)
  const { gate } = options
  const handler = gate ? async (request: Request, server: Server<unknown>) => (await gate(request, server)) ?? serve(request) : serve
  return { '/media/*': { GET: handler, HEAD: handler, OPTIONS: handler } }
}
