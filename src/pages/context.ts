// What every page handler knows about the request, derived once: who is asking, in which
// language, the CSRF token its forms carry, and whether htmx asked for a fragment.
import type { Viewer } from '../auth/plugin'
import type { User } from '../auth/users'
import type { Config } from '../config'
import { type Locale, type Translate, isLocale, pickLocale, translator } from '../i18n'
import { requestPath, safeNextPath } from './next-path'
import { withRuleVars } from './ui/rule-vars'

export const localeCookie = 'lang'
const localeCookieMaxAgeSec = 365 * 24 * 3600

export type PageContext = {
  locale: Locale
  t: Translate
  user: User | null
  // The session's CSRF token, for the `_csrf` field of forms (null when signed out).
  csrfToken: string | null
  // The cookie that holds the same token, kept fresh by the server (`__Host-csrf` over https).
  csrfCookie: string | null
  url: URL
  // Where signing in should bring this person back to (a path of ours, for `next`).
  returnPath: string
  // Whether the header offers "Create an account": not when only admins make accounts.
  offersRegistration: boolean
  // htmx swapping part of the page; boosted requests and history restores want the page.
  wantsFragment: boolean
  // The id of the element htmx will swap (HX-Target), when it wants a fragment.
  fragmentTarget: string | null
}

type CookieJar = Record<string, { value: unknown; set: (options: Record<string, unknown>) => unknown }>

function cookieValue(request: Request, name: string): string | undefined {
  const pair = request.headers
    .get('cookie')
    ?.split(/;\s*/)
    .find(part => part.startsWith(`${name}=`))
  return pair?.slice(name.length + 1)
}

export function wantsFragment(headers: Headers): boolean {
  return (
    headers.get('hx-request') === 'true' && headers.get('hx-boosted') !== 'true' && headers.get('hx-history-restore-request') !== 'true'
  )
}

// The page a request comes from when it is not a page itself: a form post names the page
// its form was on (htmx in HX-Current-URL, browsers in Referer), when that page is ours.
function pageSentFrom(request: Request, url: URL): string {
  const sender = request.headers.get('hx-current-url') ?? request.headers.get('referer')
  const from = sender ? URL.parse(sender) : null
  return from?.origin === url.origin ? safeNextPath(from.pathname + from.search) : '/'
}

// A page asked for with GET comes back to itself after signing in; a post, to its page.
function returnPathOf(request: Request, url: URL): string {
  if (request.method !== 'GET' && request.method !== 'HEAD') return pageSentFrom(request, url)
  const asked = requestPath(url)
  return safeNextPath(asked.pathname + asked.search)
}

// `cookie` is missing when Elysia answers a path no route matched.
export function pageContextOf(
  request: Request,
  viewer: Viewer | null,
  cookie: CookieJar | undefined,
  config: Pick<Config, 'registration'>,
): PageContext {
  const url = new URL(request.url)
  const chosen = url.searchParams.get('lang')
  // A language picked with ?lang= is remembered for the next visits.
  if (isLocale(chosen) && cookie && cookie[localeCookie].value !== chosen)
    cookie[localeCookie].set({ value: chosen, path: '/', maxAge: localeCookieMaxAgeSec, sameSite: 'lax' })
  const locale = pickLocale({
    query: chosen,
    cookie: cookie?.[localeCookie]?.value ?? cookieValue(request, localeCookie),
    acceptLanguage: request.headers.get('accept-language'),
  })
  return {
    locale,
    t: withRuleVars(translator(locale), locale),
    user: viewer?.user ?? null,
    csrfToken: viewer?.via === 'cookie' ? viewer.session.csrfToken : null,
    csrfCookie: viewer?.via === 'cookie' ? viewer.csrfCookie : null,
    url,
    returnPath: returnPathOf(request, url),
    offersRegistration: config.registration !== 'closed',
    wantsFragment: wantsFragment(request.headers),
    fragmentTarget: wantsFragment(request.headers) ? request.headers.get('hx-target') : null,
  }
}
