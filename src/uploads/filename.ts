// The client's filename is display text. It never becomes a path: the stored file is
// always `<mediaId>/source.<ext>`, with <ext> taken from this list or `bin`.
// biome-ignore format: a list of short names, read across
const videoContainerExtensions = new Set([
  '3g2', '3gp', 'asf', 'avi', 'divx', 'dv', 'f4v', 'flv', 'm2t', 'm2ts', 'm2v', 'm4v', 'mkv', 'mov',
  'mp4', 'mpeg', 'mpg', 'mts', 'mxf', 'ogm', 'ogv', 'qt', 'rm', 'rmvb', 'ts', 'vob', 'webm', 'wmv', 'y4m',
])

export const maxDisplayNameLength = 255

// The name as the client sent it (slashes and dots included: it is only ever shown,
// escaped), without control characters, at most 255 characters; null when empty.
export function displayFilename(raw: string | null | undefined): string | null {
  if (!raw) return null
  const printable = raw.replace(/[\p{Cc}\p{Cf}]/gu, '').trim()
  return printable ? [...printable].slice(0, maxDisplayNameLength).join('') : null
}

export function containerExtension(filename: string | null): string {
  const match = filename ? /\.([A-Za-z0-9]{1,8})$/.exec(filename) : null
  const ext = match?.[1].toLowerCase()
  return ext && videoContainerExtensions.has(ext) ? ext : 'bin'
}

// `Content-Disposition: attachment; filename="a.mp4"` or `filename*=UTF-8''%D0%B0.mp4` (RFC 6266).
export function filenameFromContentDisposition(header: string | null): string | null {
  if (!header) return null
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header)
  if (extended) {
    try {
      return decodeURIComponent(extended[1].trim())
    } catch {
      // A malformed percent-encoding: fall back to the plain parameter below.
    }
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/.exec(header)
  if (!plain) return null
  return plain[1] !== undefined ? plain[1].replace(/\\(.)/g, '$1') : plain[2]
}
