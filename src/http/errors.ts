// http/: what every request shares: errors (this file), body limits, security headers, CSRF, rights, assets, API docs.
// Errors are values with a snake_case code (the i18n key too). The status for each
// code is decided here once; handlers and services only say what went wrong.
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
  }
}

export const badRequest = (code: string, message: string) => new AppError(400, code, message)
export const unauthorized = (message = 'Sign in first') => new AppError(401, 'unauthorized', message)
export const forbidden = (code = 'forbidden', message = 'You may not do this') => new AppError(403, code, message)
export const notFound = (code = 'not_found', message = 'No such thing') => new AppError(404, code, message)
export const conflict = (code: string, message: string) => new AppError(409, code, message)
export const payloadTooLarge = (message: string) => new AppError(413, 'payload_too_large', message)
export const unsupportedMediaType = (message: string) => new AppError(415, 'unsupported_media_type', message)
export const tooManyRequests = (retryAfterSec: number) =>
  new AppError(429, 'too_many_attempts', `Too many attempts; try again in ${retryAfterSec} s`, {
    'Retry-After': String(retryAfterSec),
  })

export type ErrorBody = { error: { code: string; message: string } }

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } }
}

export function errorResponse(status: number, code: string, message: string, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(errorBody(code, message)), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  })
}
