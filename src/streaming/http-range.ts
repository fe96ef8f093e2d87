// Range and conditional requests (RFC 9110 §13–14), as pure functions of the request
// headers and the file's validators.

export type Validators = {
  // Strong: it changes whenever the bytes do.
  etag: string
  lastModifiedMs: number
}

export type ByteRange = { start: number; end: number }

export type RangeAnswer = { kind: 'full' } | ({ kind: 'partial' } & ByteRange) | { kind: 'unsatisfiable' }

// One range, an open range (`500-`) or a suffix (`-500`). Several ranges are answered
// with the whole file, and a malformed header is ignored: both allowed by RFC 9110.
export function parseRange(header: string | null, size: number): RangeAnswer {
  const match = header ? /^bytes=\s*(\d*)-(\d*)\s*$/.exec(header) : null
  if (!match || (match[1] === '' && match[2] === '')) return { kind: 'full' }
  if (match[1] === '') {
    const suffixLength = Number(match[2])
    if (suffixLength === 0 || size === 0) return { kind: 'unsatisfiable' }
    return { kind: 'partial', start: Math.max(0, size - suffixLength), end: size - 1 }
  }
  const start = Number(match[1])
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1)
  if (start >= size) return { kind: 'unsatisfiable' }
  if (end < start) return { kind: 'full' }
  return { kind: 'partial', start, end }
}

const wholeSeconds = (ms: number) => Math.floor(ms / 1000)

function etagsIn(header: string): string[] {
  return header.split(',').map(tag => tag.trim().replace(/^W\//, ''))
}

// If-None-Match (weak comparison) wins over If-Modified-Since when both are sent.
export function isNotModified(headers: Headers, validators: Validators): boolean {
  const noneMatch = headers.get('if-none-match')
  if (noneMatch !== null) {
    const tags = etagsIn(noneMatch)
    return tags.includes('*') || tags.includes(validators.etag)
  }
  const modifiedSince = Date.parse(headers.get('if-modified-since') ?? '')
  return !Number.isNaN(modifiedSince) && wholeSeconds(validators.lastModifiedMs) <= wholeSeconds(modifiedSince)
}

// If-Range: the client's partial copy is still this file (strong ETag, or exactly its date).
export function isRangeStillValid(headers: Headers, validators: Validators): boolean {
  const ifRange = headers.get('if-range')
  if (ifRange === null) return true
  const value = ifRange.trim()
  if (value.startsWith('"') || value.startsWith('W/')) return value === validators.etag
  const date = Date.parse(value)
  return !Number.isNaN(date) && wholeSeconds(date) === wholeSeconds(validators.lastModifiedMs)
}
