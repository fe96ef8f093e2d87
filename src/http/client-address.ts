import type { Server } from 'bun'
import { type IpRange, isInRanges, normalizeIp } from '../config/ip-address'

// Whom to believe about the client's address: a reverse proxy's header is read only when
// the server sits behind one (PublicUrl) and the connection comes from a proxy listed in
// TrustedProxies. Anyone else could write any address into that header.
export type ProxyTrust = { publicUrl: string | null; trustedProxies: IpRange[] }

// One hop of X-Forwarded-For or Forwarded: `1.2.3.4`, `1.2.3.4:5678`, `"[2001:db8::1]:4711"`,
// `2001:db8::1`; anything else (`unknown`, `_hidden`) is null.
function hopAddress(text: string): string | null {
  const hop = text.trim().replace(/^"(.*)"$/, '$1')
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(hop)
  if (bracketed) return normalizeIp(bracketed[1])
  return normalizeIp(/^[\d.]+:\d+$/.test(hop) ? hop.slice(0, hop.lastIndexOf(':')) : hop)
}

// RFC 7239: `Forwarded: for=192.0.2.60;proto=https, for="[2001:db8::17]"`.
function forwardedHops(header: string): string[] {
  return header.split(',').map(element => {
    const pair = element.split(';').find(part => /^\s*for\s*=/i.test(part))
    return pair ? pair.slice(pair.indexOf('=') + 1) : ''
  })
}

// Each proxy appends the address it was reached from, so the list is read from the right:
// the first address that is not a trusted proxy is the client. An unreadable hop stops the
// walk (null): what lies left of it cannot be trusted.
function firstUntrustedHop(hops: string[], trusted: IpRange[]): string | null {
  for (let i = hops.length - 1; i >= 0; i--) {
    const address = hopAddress(hops[i])
    if (address === null) return null
    if (!isInRanges(address, trusted) || i === 0) return address
  }
  return null
}

// The address a trusted proxy names. A proxy sets one of the two headers and passes the
// other on as the client wrote it, so when both are present and disagree neither is
// believed: the request counts as the proxy's own.
function addressFromProxy(headers: Headers, trusted: IpRange[]): string | null {
  const forwardedFor = headers.get('x-forwarded-for')
  const forwarded = headers.get('forwarded')
  const named = [
    forwardedFor === null ? undefined : firstUntrustedHop(forwardedFor.split(','), trusted),
    forwarded === null ? undefined : firstUntrustedHop(forwardedHops(forwarded), trusted),
  ].filter(address => address !== undefined)
  if (named.length === 0 || named.some(address => address === null || address !== named[0])) return null
  return named[0] ?? null
}

// The client's address: the socket's peer as Bun sees it (only the Request Bun created
// knows it, not a copy), or behind a trusted proxy the address that proxy names.
export function clientAddress(server: Server<unknown> | null, request: Request, trust: ProxyTrust): string {
  const peer = server?.requestIP(request)?.address
  if (!peer) return 'unknown'
  const address = normalizeIp(peer) ?? peer
  if (trust.publicUrl === null || !isInRanges(address, trust.trustedProxies)) return address
  return addressFromProxy(request.headers, trust.trustedProxies) ?? address
}
