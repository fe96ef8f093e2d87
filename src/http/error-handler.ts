import { Elysia } from 'elysia'
import { AppError, errorResponse } from './errors'

type ValueErrorLike = { path?: string; message?: string; schema?: { description?: string } }

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
  const field = fieldName(detail?.path)
  return errorResponse(400, 'invalid_input', `Invalid ${where} "${field}": ${detail?.message ?? 'invalid value'}`)
}

// One place turns every failure into the contract's error body. Anything unexpected is
// logged here and answered as a plain 500 without details: never a stack trace.
export const errorHandlerPlugin = new Elysia({ name: 'error-handler' })
  .error({ AppError })
  .onError({ as: 'global' }, ({ code, error, request }) => {
    // Errors thrown by our body parser reach here wrapped in Elysia's ParseError.
    const cause = code === 'PARSE' ? (error as Error).cause : error
    if (cause instanceof AppError) return errorResponse(cause.status, cause.code, cause.message, cause.headers)
    switch (code) {
      case 'VALIDATION':
        return validationResponse(error as never)
      case 'PARSE':
        return errorResponse(400, 'invalid_body', 'The request body cannot be parsed')
      case 'NOT_FOUND':
        return errorResponse(404, 'not_found', 'No such page or endpoint')
      case 'INVALID_COOKIE_SIGNATURE':
        return errorResponse(400, 'invalid_cookie', 'A cookie is malformed')
    }
    console.error(`${request.method} ${new URL(request.url).pathname} failed:`, error)
    return errorResponse(500, 'internal_error', 'Something went wrong on the server')
  })
