// http/: what every request shares: errors (this file), body limits, security headers, CSRF, rights, assets, API docs.
// Errors are values with a snake_case code (the i18n key too). Every code the server
// answers is in `errorCodes` with its status, decided here once: handlers and services only
// say what went wrong (`new AppError('title_not_found', …)`), and an unknown code does not
// compile. test/i18n.test.ts checks each code has its message in every language and that
// the statuses agree with api.md.

import type { MessageKey } from '../i18n'

// code → HTTP status. Grouped by status; a code means one thing and has one status.
const statusOfCode = {
  // 400: malformed or invalid input (the message names the field or header)
  invalid_input: 400,
  invalid_json: 400,
  invalid_body: 400,
  invalid_cookie: 400,
  invalid_username: 400,
  password_reset_invalid: 400,
  invalid_subtitles: 400,
  title_not_movie: 400,
  invalid_length: 400,
  empty_upload: 400,
  incomplete_body: 400,
  upload_interrupted: 400,
  upload_length_required: 400,
  invalid_upload_metadata: 400,
  invalid_target: 400,
  // tus refusing a request it cannot read (it answers a few of these as 403: see tus.ts)
  invalid_upload_request: 400,
  // a runner's upload named outside its job's work folder or layout
  invalid_output_name: 400,
  // 401: not signed in, or the wrong password
  unauthorized: 401,
  invalid_credentials: 401,
  // remote runners: an unknown registration token, an unknown or revoked runner token
  registration_token_invalid: 401,
  runner_token_invalid: 401,
  // 403: signed in (or not) but not allowed
  forbidden: 403,
  admin_only: 403,
  account_disabled: 403,
  registration_closed: 403,
  invite_invalid: 403,
  csrf_origin_mismatch: 403,
  csrf_token_invalid: 403,
  // a job token used on another job than its own
  job_token_mismatch: 403,
  // 404: no such thing
  not_found: 404,
  title_not_found: 404,
  season_not_found: 404,
  episode_not_found: 404,
  review_not_found: 404,
  media_not_found: 404,
  media_file_not_found: 404,
  upload_not_found: 404,
  user_not_found: 404,
  token_not_found: 404,
  session_not_found: 404,
  invite_not_found: 404,
  job_not_found: 404,
  asset_not_found: 404,
  // 408: the body came too slowly
  request_timeout: 408,
  upload_too_slow: 408,
  // 409: conflicts with what is stored
  conflict: 409,
  username_taken: 409,
  username_confusable: 409,
  season_exists: 409,
  episode_exists: 409,
  review_exists: 409,
  title_is_movie: 409,
  title_has_seasons: 409,
  title_has_media: 409,
  media_not_ready: 409,
  media_not_failed: 409,
  source_gone: 409,
  worker_stopping: 409,
  job_not_active: 409,
  upload_finished: 409,
  upload_offset_mismatch: 409,
  cannot_disable_self: 409,
  cannot_demote_self: 409,
  admin_in_admins_file: 409,
  // a runner's upload with other bytes than those already received under that name
  output_conflict: 409,
  // tus: the upload expired or was removed; a protocol version we do not speak; being written
  upload_gone: 410,
  // the job is no longer the runner's (lost, cancelled, deleted, finished, origin restarted)
  job_gone: 410,
  tus_version_unsupported: 412,
  upload_locked: 423,
  // 413, 415: too large, not a kind of body accepted here
  payload_too_large: 413,
  unsupported_media_type: 415,
  // 429: too many at once or in a while
  too_many_attempts: 429,
  too_many_streams: 429,
  too_many_queued_videos: 429,
  // 5xx: the server's side
  internal_error: 500,
  upload_write_mismatch: 500,
  not_implemented: 501,
  insufficient_storage: 507,
} as const

export type ErrorCode = keyof typeof statusOfCode
export type ErrorStatus = (typeof statusOfCode)[ErrorCode]
// The codes answered with `status`: `CodeWithStatus<404>` is 'title_not_found' | 'not_found' | …
export type CodeWithStatus<S extends ErrorStatus> = { [C in ErrorCode]: (typeof statusOfCode)[C] extends S ? C : never }[ErrorCode]

export type StatusOfCode<C extends ErrorCode> = (typeof statusOfCode)[C]
export type ErrorEntry<C extends ErrorCode = ErrorCode> = { status: (typeof statusOfCode)[C]; messageKey: `error.${C}` }

// A code without its English message (en.json, the reference) does not compile: the error
// names the missing keys. The test checks the other languages.
type MissingMessages = Exclude<`error.${ErrorCode}`, MessageKey>
const everyCodeHasAMessage: [MissingMessages] extends [never] ? true : MissingMessages = true
void everyCodeHasAMessage

// The registry: each code with its status and the i18n key of its message.
export const errorCodes = Object.fromEntries(
  Object.entries(statusOfCode).map(([code, status]) => [code, { status, messageKey: `error.${code}` }]),
) as { readonly [C in ErrorCode]: ErrorEntry<C> }

export const allErrorCodes = Object.keys(statusOfCode) as ErrorCode[]

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(statusOfCode, value)
}

export function statusOf(code: ErrorCode): number {
  return statusOfCode[code]
}

// What a request carrying credentials may be refused with before its route runs (auth/plugin.ts):
// an unknown API token or none where one is needed, a failed CSRF check, too many unknown
// credentials from one client.
export const guardErrorCodes = [
  'unauthorized',
  'csrf_origin_mismatch',
  'csrf_token_invalid',
  'too_many_attempts',
] as const satisfies readonly ErrorCode[]

export class AppError extends Error {
  readonly status: number

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
    this.status = statusOf(code)
  }
}

// Shorthands that name the kind of refusal; the code must be one answered with that status.
export const badRequest = (code: CodeWithStatus<400>, message: string) => new AppError(code, message)
export const unauthorized = (message = 'Sign in first') => new AppError('unauthorized', message)
export const forbidden = (code: CodeWithStatus<403> = 'forbidden', message = 'You may not do this') => new AppError(code, message)
export const notFound = (code: CodeWithStatus<404> = 'not_found', message = 'No such thing') => new AppError(code, message)
export const conflict = (code: CodeWithStatus<409>, message: string) => new AppError(code, message)
export const payloadTooLarge = (message: string) => new AppError('payload_too_large', message)
export const unsupportedMediaType = (message: string) => new AppError('unsupported_media_type', message)
export const tooManyRequests = (retryAfterSec: number) =>
  new AppError('too_many_attempts', `Too many attempts; try again in ${retryAfterSec} s`, {
    'Retry-After': String(retryAfterSec),
  })

export type ErrorBody = { error: { code: string; message: string } }

export function errorBody(code: ErrorCode, message: string): ErrorBody {
  return { error: { code, message } }
}

// The answer for `code`, with its status from the registry. `status` overrides it only where
// a protocol decides the status itself (tus, see uploads/tus.ts).
export function errorResponse(code: ErrorCode, message: string, headers: Record<string, string> = {}, status = statusOf(code)) {
  return new Response(JSON.stringify(errorBody(code, message)), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  })
}
