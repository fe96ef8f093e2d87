import { Elysia } from 'elysia'
import { isForeignKeyViolation } from '../db/constraint-errors'
import { AppError, errorResponse } from './errors'

type ValueErrorLike = { path?: string; message?: string; schema?: { description?: string; title?: string } }

// "/genres/0" → "genres[0]"; an empty path means the whole body.
function fieldName(path: string | undefined): string {
  if (!path || path === '/') return 'body'
  return path
    .slice(1)
    .split('/')
    .map((part, i) => (/^\d+$/.test(part) ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join('')
}

function validationResponse(error: { valueError?: ValueErrorLike; type?: string }) {
  const detail = error.valueError
  const where = error.type === 'params' ? 'path parameter' : error.type === 'query' ? 'query parameter' : 'field'
  // Elysia's numeric coercion (t.Integer in query and path) reports a range error with
  // no path at all; such schemas carry their parameter's name as `title`.
  const field = !detail?.path && detail?.schema?.title ? detail.schema.title : fieldName(detail?.path)
  return errorResponse('invalid_input', `Invalid ${where} "${field}": ${detail?.message ?? 'invalid value'}`)
}

// The JSON API and files answer errors here; every other path is a page, whose errors
// the pages render as HTML in the visitor's language (src/pages/errors.tsx).
export function isPagePath(pathname: string): boolean {
  return !/^\/(api|media|assets)\//.test(pathname)
}

// One place turns every failure into the contract's error body. Anything unexpected is
// logged here and answered as a plain 500 without details: never a stack trace.
export const errorHandlerPlugin = new Elysia({ name: 'error-handler' })
  .error({ AppError })
  .onError({ as: 'global' }, ({ code, error, request }) => {
    if (isPagePath(new URL(request.url).pathname)) return
    if (error instanceof AppError) return errorResponse(error.code, error.message, error.headers)
    switch (code) {
      case 'VALIDATION':
        return validationResponse(error as never)
      case 'PARSE':
        return errorResponse('invalid_json', 'The request body is not valid JSON')
      case 'NOT_FOUND':
        return errorResponse('not_found', 'No such page or endpoint')
      case 'INVALID_COOKIE_SIGNATURE':
        return errorResponse('invalid_cookie', 'A cookie is malformed')
    }
    // A row that vanished between a check and a write (a title deleted while someone
    // rated it) is a conflict the client can retry, not a server failure.
    if (isForeignKeyViolation(error)) return errorResponse('conflict', 'What this refers to was just changed or deleted; try again')
    console.error(`${request.method} ${new URL(request.url).pathname} failed:`, error)
    return errorResponse('internal_error', 'Something went wrong on the server')
  })
