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
    if (error instanceof AppError) return errorResponse(error.status, error.code, error.message, error.headers)
    switch (code) {
      case 'VALIDATION':
        return validationResponse(error as never)
      case 'PARSE':
        return errorResponse(400, 'invalid_json', 'The request body is not valid JSON')
      case 'NOT_FOUND':
        return errorResponse(404, 'not_found', 'No such page or endpoint')
      case 'INVALID_COOKIE_SIGNATURE':
        return errorResponse(400, 'invalid_cookie', 'A cookie is malformed')
    }
    console.error(`${request.method} ${new URL(request.url).pathname} failed:`, error)
    return errorResponse(500, 'internal_error', 'Something went wrong on the server')
  })
