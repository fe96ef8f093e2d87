// Errors on page routes are pages too, in the visitor's language (the JSON API keeps its
// JSON error bodies). Signed-out visitors of a page that needs an account are sent to sign in.
import { Elysia } from 'elysia'
import type { Viewer } from '../auth/plugin'
import type { Config } from '../config'
import { errorMessage } from '../i18n'
import { isPagePath } from '../http/error-handler'
import { AppError, type ErrorCode, statusOf } from '../http/errors'
import { type PageContext, pageContextOf } from './context'
import { redirectToSignIn, renderPage } from './respond'

function ErrorPage({ ctx, status, code }: { ctx: PageContext; status: number; code: ErrorCode }) {
  const { t } = ctx
  return (
    <section class="error-page">
      <h1>{status === 404 ? t('error.page_not_found') : t('error.heading')}</h1>
      <p>{errorMessage(t, code)}</p>
      <p>
        <a href="/">{t('error.back_to_catalogue')}</a>
      </p>
    </section>
  )
}

export function renderErrorPage(ctx: PageContext, code: ErrorCode): Response {
  const status = statusOf(code)
  const title = status === 404 ? ctx.t('error.page_not_found') : ctx.t('error.heading')
  return renderPage(ctx, { title, status }, <ErrorPage ctx={ctx} status={status} code={code} />)
}

type ErrorContext = { request: Request; error: unknown; code: unknown; cookie: unknown; viewer?: Viewer | null; ctx?: PageContext }

export function pageErrorResponse(context: ErrorContext, config: Config): Response | undefined {
  const ctx = context.ctx ?? pageContextOf(context.request, context.viewer ?? null, context.cookie as never, config)
  const { error } = context
  if (error instanceof AppError) {
    if (error.status === 401) return redirectToSignIn(ctx)
    const response = renderErrorPage(ctx, error.code)
    // Retry-After, or Connection: close after a body that was refused unread.
    for (const [name, value] of Object.entries(error.headers)) response.headers.set(name, value)
    return response
  }
  if (context.code === 'NOT_FOUND') return renderErrorPage(ctx, 'not_found')
  if (context.code === 'PARSE' || context.code === 'VALIDATION') return renderErrorPage(ctx, 'invalid_input')
  console.error(`${context.request.method} ${ctx.url.pathname} failed:`, error)
  return renderErrorPage(ctx, 'internal_error')
}

// Global, so that unknown paths get the page too; API and file paths are left to the JSON
// error handler (src/http/error-handler.ts), which in turn leaves page paths to this one.
export const pageErrors = (config: Config) =>
  new Elysia({ name: 'page-errors', seed: config.file }).onError({ as: 'global' }, context => {
    if (!isPagePath(new URL(context.request.url).pathname)) return
    return pageErrorResponse(context as unknown as ErrorContext, config)
  })
