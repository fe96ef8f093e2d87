// How page handlers answer: a whole page in the layout, a fragment for htmx, or a redirect.
// Everything goes through preact-render-to-string, which escapes text and attributes, so
// user text can never become markup.
import type { VNode } from 'preact'
import { renderToString } from 'preact-render-to-string'
import type { PageScript } from './assets'
import type { PageContext } from './context'
import type { AppDeps } from '../deps'
import type { User } from '../auth/users'
import { Layout } from './layout'

// Pages carry the session's CSRF token and per-user controls: never cached by others.
const htmlHeaders = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'private, no-cache' }
// Answers whose body depends on HX-Request (fragment or page) must say so to caches.
const varyOnHtmx = { vary: 'HX-Request' }

export type PageOptions = { title: string; scripts?: PageScript[]; status?: number }

export function htmlResponse(markup: string, init: { status?: number; headers?: Record<string, string> } = {}) {
  return new Response(markup, { status: init.status ?? 200, headers: { ...htmlHeaders, ...init.headers } })
}

export function renderPage(ctx: PageContext, options: PageOptions, body: VNode): Response {
  const markup = renderToString(
    <Layout ctx={ctx} title={options.title} scripts={options.scripts ?? []}>
      {body}
    </Layout>,
  )
  return htmlResponse(`<!doctype html>${markup}`, { status: options.status, headers: varyOnHtmx })
}

export function renderFragment(node: VNode, init: { status?: number; headers?: Record<string, string> } = {}) {
  return htmlResponse(renderToString(node), { status: init.status, headers: { ...varyOnHtmx, ...init.headers } })
}

// A page with a part htmx may ask for alone (HX-Target names its id): that part, else the page.
export function renderPageOrPart(ctx: PageContext, part: { id: string; node: VNode }, options: PageOptions, body: VNode): Response {
  if (ctx.fragmentTarget === part.id) return renderFragment(part.node, { status: options.status })
  return renderPage(ctx, options, body)
}

// After a form post: 303 so the browser GETs the next page (no re-post on reload). An htmx
// request is told to navigate instead, since it would otherwise swap a page into a fragment.
export function redirectTo(ctx: PageContext, path: string): Response {
  if (ctx.wantsFragment) return new Response(null, { status: 204, headers: { 'hx-redirect': path } })
  return new Response(null, { status: 303, headers: { location: path } })
}

export function redirectToSignIn(ctx: PageContext): Response {
  return redirectTo(ctx, `/login?${new URLSearchParams({ next: ctx.returnPath })}`)
}

export type SignedInPage = PageContext & { user: User }

// A page for signed-in people: anyone else is sent to sign in first, then back here.
export function signedIn<Args extends unknown[]>(
  handler: (deps: AppDeps, ctx: SignedInPage, ...args: Args) => Response | Promise<Response>,
) {
  return async (deps: AppDeps, ctx: PageContext, ...args: Args): Promise<Response> =>
    ctx.user ? handler(deps, { ...ctx, user: ctx.user }, ...args) : redirectToSignIn(ctx)
}
