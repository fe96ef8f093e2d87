// Browsing=members (server.ini): a private instance shows nothing to people who are not
// signed in. Anonymous requests reach only what signing in needs: the sign-in, registration
// (and invite) and password-reset pages and their API routes, static assets, and the API
// docs page (a static shell: the document it loads needs an account). Remote runners
// (/api/v1/runners/...) carry a runner token of their own and are not users.
// Everything else is refused: the API and the media files with 401 `unauthorized` (the
// check sits in the auth plugin and in the media file route, media-gate.ts); pages send
// the person to sign in and back (pages/index.ts).
import type { BrowsingMode } from '../config'
import { unauthorized } from '../http/errors'

const openPaths = new Set(['/login', '/logout', '/register', '/password-reset', '/api/docs'])
const openPrefixes = ['/assets/', '/api/v1/auth/', '/api/v1/runners/']

export function isOpenToAnyone(pathname: string): boolean {
  return openPaths.has(pathname) || openPrefixes.some(prefix => pathname.startsWith(prefix))
}

// Paths answered in JSON (the API, the API document) or with media bytes: refused with 401.
export function isApiOrMedia(pathname: string): boolean {
  return pathname.startsWith('/api/') || pathname.startsWith('/media/')
}

export type Browsing = { mode: BrowsingMode; pathname: string; isSignedIn: boolean }

// Whether this request must be refused for lack of an account.
export function needsMember({ mode, pathname, isSignedIn }: Browsing): boolean {
  return mode === 'members' && !isSignedIn && !isOpenToAnyone(pathname)
}

export const membersOnly = () => unauthorized('This server is open to its members only: sign in first')
