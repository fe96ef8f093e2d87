// The only files /media/:mediaId/... can ever serve: the names of shared/hls-layout.md.
// The raw (still percent-encoded) URL path is matched, so `%2e%2e`, `%2f`, `%00`,
// backslashes, dot-files, `source.*`, temporary files and `.uploads` never match.
const lang = '[a-z]{2,3}(?:[-_][a-z0-9]{1,8})?'
const mediaIdPattern = /^[1-9][0-9]{0,15}$/

export type FileKind = 'playlist' | 'segment' | 'subtitles' | 'poster'

export type LayoutFile = { mediaId: number; name: string; kind: FileKind }

// The names of each kind of file: one short pattern per kind, picked by the extension
// (this runs for every segment request).
const namePatterns: Record<FileKind, RegExp> = {
  playlist: new RegExp(`^(?:master|stream_[0-9]{1,2}|audio_${lang}|subs_${lang})\\.m3u8$`),
  segment: new RegExp(`^(?:stream_[0-9]{1,2}|audio_${lang})/data[0-9]{1,9}\\.ts$`),
  subtitles: new RegExp(`^subs/${lang}\\.vtt$`),
  poster: /^poster\.jpg$/,
}

function kindOf(name: string): FileKind {
  if (name.endsWith('.ts')) return 'segment'
  if (name.endsWith('.m3u8')) return 'playlist'
  if (name.endsWith('.vtt')) return 'subtitles'
  return 'poster'
}

const prefix = '/media/'

// `pathname` as received (not decoded); null for anything outside the layout.
export function layoutFileOf(pathname: string): LayoutFile | null {
  if (!pathname.startsWith(prefix)) return null
  const slash = pathname.indexOf('/', prefix.length)
  if (slash === -1) return null
  const id = pathname.slice(prefix.length, slash)
  const name = pathname.slice(slash + 1)
  const kind = kindOf(name)
  if (!mediaIdPattern.test(id) || !namePatterns[kind].test(name)) return null
  const mediaId = Number(id)
  return Number.isSafeInteger(mediaId) ? { mediaId, name, kind } : null
}

// Explicit types: Bun would call `.ts` text/javascript.
export const contentTypes: Record<FileKind, string> = {
  playlist: 'application/vnd.apple.mpegurl',
  segment: 'video/mp2t',
  subtitles: 'text/vtt; charset=utf-8',
  poster: 'image/jpeg',
}

const immutable = 'public, max-age=31536000, immutable'

// The worker moves a segment (and a .vtt, the poster) into place only once complete, so
// those never change under their name. A media playlist grows until it ends with
// #EXT-X-ENDLIST; the master changes when subtitles are added: both stay short-lived.
export function cacheControlFor(kind: FileKind, playlistText?: string): string {
  if (kind !== 'playlist') return immutable
  return playlistText?.includes('#EXT-X-ENDLIST') ? 'public, max-age=60' : 'public, max-age=2'
}
