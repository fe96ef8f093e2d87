// The only files /media/:mediaId/... can ever serve: the names of shared/hls-layout.md
// (hls/layout.ts). The raw (still percent-encoded) URL path is matched, so `%2e%2e`, `%2f`,
// `%00`, backslashes, dot-files, `source.*`, temporary files and `.uploads` never match.
import { masterFileName, mediaUrlPrefix, servedNamePatterns } from '../hls/layout'

const mediaIdPattern = /^[1-9][0-9]{0,15}$/

export type FileKind = keyof typeof servedNamePatterns

export type LayoutFile = { mediaId: number; name: string; kind: FileKind }

// One short pattern per kind, picked by the extension (this runs for every segment request).
function kindOf(name: string): FileKind {
  if (name.endsWith('.ts')) return 'segment'
  if (name.endsWith('.m3u8')) return 'playlist'
  if (name.endsWith('.vtt')) return name.startsWith('subs/') ? 'subtitles' : 'thumbnails'
  return name.startsWith('thumbs/') ? 'sprite' : 'poster'
}

// `pathname` as received (not decoded); null for anything outside the layout.
export function layoutFileOf(pathname: string): LayoutFile | null {
  if (!pathname.startsWith(mediaUrlPrefix)) return null
  const slash = pathname.indexOf('/', mediaUrlPrefix.length)
  if (slash === -1) return null
  const id = pathname.slice(mediaUrlPrefix.length, slash)
  const name = pathname.slice(slash + 1)
  const kind = kindOf(name)
  if (!mediaIdPattern.test(id) || !servedNamePatterns[kind].test(name)) return null
  const mediaId = Number(id)
  return Number.isSafeInteger(mediaId) ? { mediaId, name, kind } : null
}

// Explicit types: Bun would call `.ts` text/javascript.
export const contentTypes: Record<FileKind, string> = {
  playlist: 'application/vnd.apple.mpegurl',
  segment: 'video/mp2t',
  subtitles: 'text/vtt; charset=utf-8',
  poster: 'image/jpeg',
  thumbnails: 'text/vtt; charset=utf-8',
  sprite: 'image/jpeg',
}

// `public` lets any cache keep the files (an edge, a CDN); `private` (Browsing=members,
// where every request carries a credential) only the viewer's own browser.
export type CacheScope = 'public' | 'private'

// The worker moves a segment (and a .vtt, the poster, the previews) into place only once complete, so
// those never change under their name. A media playlist grows until it ends with
// #EXT-X-ENDLIST, and stays short-lived until then. The master changes when the
// subtitles of the source are ready or a viewer adds some, and a player swapped in at
// that moment must see them: it is stored but asked again each time (a 304 by its ETag).
// A private answer keeps the same ages, but no shared cache may keep it (nor is it
// promised immutable to one).
export function cacheControlFor({ name, kind }: LayoutFile, playlistText?: string, scope: CacheScope = 'public'): string {
  if (kind !== 'playlist') return scope === 'public' ? 'public, max-age=31536000, immutable' : 'private, max-age=31536000'
  if (name === masterFileName) return `${scope}, no-cache`
  return playlistText?.includes('#EXT-X-ENDLIST') ? `${scope}, max-age=60` : `${scope}, max-age=2`
}
