// Where a page may send people after signing in (`next`) and the links it builds from the
// URL it was asked for. Both go into a Location header or an href, so both must be a path of
// this site made of printable characters: a control character in a header makes Bun throw
// (a 500 after the session was made), a tab or backslash makes lenient clients read
// `/\t/host` as `//host`, and `//host` in an href is another site.

// Parsed against a stand-in origin: whatever still resolves to it is a path of ours.
const ownOrigin = 'http://moviepoint.invalid'
// Longer than any path of ours with its query, short enough to log.
const maxNextChars = 2048

// Raw text: nothing invisible at all (no control, format, private or unassigned code point,
// no separator or space). Decoded text: the same, but a plain space (`%20`) is harmless.
const unsafeRaw = /[\p{C}\p{Z}\\]/u
const unsafeDecoded = /[\p{C}\p{Zl}\p{Zp}\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\\]/u

// One leading slash, not two, not a slash and a backslash.
function isLocalPath(path: string): boolean {
  return /^\/(?![/\\])/.test(path)
}

function decodedOrNull(text: string): string | null {
  try {
    return decodeURIComponent(text)
  } catch {
    return null
  }
}

// The path (with query and fragment) `next` names when it is one of ours, else `fallback`.
// What comes back is the URL parser's serialization: percent-encoded, ASCII only.
export function safeNextPath(next: unknown, fallback = '/'): string {
  if (typeof next !== 'string' || next.length > maxNextChars) return fallback
  if (!isLocalPath(next) || unsafeRaw.test(next)) return fallback
  const decoded = decodedOrNull(next)
  if (decoded === null || unsafeDecoded.test(decoded) || !isLocalPath(decoded)) return fallback
  let url: URL
  try {
    url = new URL(next, ownOrigin)
  } catch {
    return fallback
  }
  const path = url.pathname + url.search + url.hash
  // `/.//host` parses to the path `//host`: checked again after parsing.
  return url.origin === ownOrigin && isLocalPath(path) ? path : fallback
}

// The path a request asked for, for links back to it: only its path and query, always with
// one leading slash (`GET //evil.example/x` must not yield a link to evil.example).
export function requestPath(url: URL): { pathname: string; search: string } {
  const pathname = `/${url.pathname.replace(/^[/\\]+/, '')}`
  return { pathname, search: url.search }
}
