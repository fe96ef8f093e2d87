// Signing in from a page: the same sessions and cookies as the JSON API (src/auth).
import type { setSessionCookies } from '../../auth/plugin'

export { startSession } from '../../auth/plugin'

export type CookieJar = Parameters<typeof setSessionCookies>[0]
