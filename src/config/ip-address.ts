// IP addresses and ranges as text that compares equal for equal addresses: throttles and
// slot counters key on it, and TrustedProxies is matched against it. IPv4 is dotted
// decimal, IPv6 the RFC 5952 form (lowercase, longest zero run as ::), and an IPv4-mapped
// IPv6 address (::ffff:1.2.3.4, how a dual-stack socket shows an IPv4 client) is IPv4.

export type IpRange = { bytes: number[]; prefixBits: number }

function parseIpv4(text: string): number[] | null {
  const parts = text.split('.')
  if (parts.length !== 4 || !parts.every(part => /^\d{1,3}$/.test(part))) return null
  const bytes = parts.map(Number)
  return bytes.every(byte => byte <= 255) ? bytes : null
}

// Sixteen bytes, or null. A zone (fe80::1%eth0) is dropped: it names a local interface.
function parseIpv6(text: string): number[] | null {
  let hex = text.replace(/%[\w.-]+$/, '')
  const lastColon = hex.lastIndexOf(':')
  if (lastColon === -1) return null
  if (hex.includes('.')) {
    const v4 = parseIpv4(hex.slice(lastColon + 1))
    if (!v4) return null
    hex = `${hex.slice(0, lastColon + 1)}${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`
  }
  const halves = hex.split('::')
  if (halves.length > 2) return null
  const groupsOf = (part: string) => (part === '' ? [] : part.split(':'))
  const head = groupsOf(halves[0])
  const tail = halves.length === 2 ? groupsOf(halves[1]) : []
  if (![...head, ...tail].every(group => /^[0-9a-f]{1,4}$/i.test(group))) return null
  const missing = 8 - head.length - tail.length
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail].map(g => parseInt(g, 16))
  return groups.flatMap(group => [group >> 8, group & 0xff])
}

const isMappedIpv4 = (bytes: number[]) =>
  bytes.length === 16 && bytes.slice(0, 10).every(byte => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff

// 4 bytes for IPv4 (IPv4-mapped IPv6 included), 16 for IPv6, or null.
function parseIpBytes(text: string): number[] | null {
  const bytes = parseIpv4(text) ?? parseIpv6(text)
  if (bytes && isMappedIpv4(bytes)) return bytes.slice(12)
  return bytes
}

function formatIpv6(bytes: number[]): string {
  const groups = Array.from({ length: 8 }, (_, i) => (bytes[2 * i] << 8) | bytes[2 * i + 1])
  // The longest run of two or more zero groups (the first of equals) becomes "::".
  let best = { start: -1, length: 1 }
  for (let start = 0; start < 8; start++) {
    let length = 0
    while (start + length < 8 && groups[start + length] === 0) length++
    if (length > best.length) best = { start, length }
  }
  const hex = groups.map(group => group.toString(16))
  if (best.start === -1) return hex.join(':')
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`
}

function formatIp(bytes: number[]): string {
  return bytes.length === 4 ? bytes.join('.') : formatIpv6(bytes)
}

// The canonical text of an IP address, or null when `text` is not one.
export function normalizeIp(text: string): string | null {
  const bytes = parseIpBytes(text.trim())
  return bytes ? formatIp(bytes) : null
}

// "10.0.0.0/8", "2001:db8::/32", or one address (a range of one).
export function parseIpRange(text: string): IpRange | null {
  const [address, prefix, ...rest] = text.trim().split('/')
  if (rest.length > 0) return null
  const full = parseIpv4(address) ?? parseIpv6(address)
  if (!full) return null
  let prefixBits = full.length * 8
  if (prefix !== undefined) {
    if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > prefixBits) return null
    prefixBits = Number(prefix)
  }
  // ::ffff:10.0.0.0/104 is 10.0.0.0/8: addresses are compared as IPv4 once mapped.
  if (isMappedIpv4(full) && prefixBits >= 96) return { bytes: full.slice(12), prefixBits: prefixBits - 96 }
  return { bytes: full, prefixBits }
}

function isInRange(bytes: number[], range: IpRange): boolean {
  if (bytes.length !== range.bytes.length) return false
  for (let bit = 0; bit < range.prefixBits; bit += 8) {
    const bits = Math.min(8, range.prefixBits - bit)
    const mask = (0xff << (8 - bits)) & 0xff
    if ((bytes[bit / 8] & mask) !== (range.bytes[bit / 8] & mask)) return false
  }
  return true
}

export function isInRanges(address: string, ranges: IpRange[]): boolean {
  const bytes = parseIpBytes(address)
  return bytes !== null && ranges.some(range => isInRange(bytes, range))
}

// What a throttle counts as one client: an IPv4 address, or an IPv6 /64 (one home or one
// server is usually given a whole /64, so its single addresses cost nothing to change).
export function addressBucket(address: string): string {
  const bytes = parseIpBytes(address)
  if (!bytes || bytes.length === 4) return address
  return `${formatIpv6([...bytes.slice(0, 8), ...Array<number>(8).fill(0)])}/64`
}
