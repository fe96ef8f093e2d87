// The only files /media/:mediaId/... can ever serve: the names of shared/hls-layout.md.
// The raw (still percent-encoded) URL path is matched, so `%2e%2e`, `%2f`, `%00`,
// backslashes, dot-files, `source.*`, temporary files and `.uploads` never match.
const lang = '[a-z]{2,3}(?:[-_][a-z0-9]{1,8})?'
const layoutPattern = new RegExp(
  '^/media/([1-9][0-9]{0,15})/(' +
    [
      'master\\.m3u8',
      'stream_[0-9]{1,2}\\.m3u8',
      'stream_[0-9]{1,2}/data[0-9]{1,9}\\.ts',
      `audio_${lang}\\.m3u8`,
      `audio_${lang}/data[0-9]{1,9}\\.ts`,
      `subs_${lang}\\.m3u8`,
      `subs/${lang}\\.vtt`,
      'poster\\.jpg',
    ].join('|') +
    ')$',
)

export type FileKind = 'playlist' | 'segment' | 'subtitles' | 'poster'

export type LayoutFile = { mediaId: number; name: string; kind: FileKind }

function kindOf(name: string): FileKind {
  if (name.endsWith('.m3u8')) return 'playlist'
  if (name.endsWith('.ts')) return 'segment'
  if (name.endsWith('.vtt')) return 'subtitles'
  return 'poster'
}

// `pathname` as received (not decoded); null for anything outside the layout.
export function layoutFileOf(pathname: string): LayoutFile | null {
  const match = layoutPattern.exec(pathname)
  if (!match) return null
  const mediaId = Number(match[1])
  if (!Number.isSafeInteger(mediaId)) return null
  return { mediaId, name: match[2], kind: kindOf(match[2]) }
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
