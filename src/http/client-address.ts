import type { Server } from 'bun'

// The address the connection comes from, as Bun sees it (behind a reverse proxy: the
// proxy's). Only the Request Bun created knows it, not a copy.
export function clientAddress(server: Server<unknown> | null, request: Request): string {
  return server?.requestIP(request)?.address ?? 'unknown'
}
