import { STATUS_CODES } from 'node:http'
import { openapi } from '@elysiajs/openapi'
import { t } from 'elysia'
import { type ErrorCode, type StatusOfCode, statusOf } from './errors'
import { ErrorSchema } from './model'

export const openApiPath = '/api/v1/openapi.json'

// What an account-only operation accepts: an API token or the pages' session cookie.
export const accountSecurity: Record<string, string[]>[] = [{ bearer: [] }, { session: [] }]

// A failure answer in the api.md format ({error:{code,message}}), pointing at the one shared schema.
export function errorAnswer(description: string) {
  return { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } } }
}

// The codes of each status, in the order given: statuses come from the registry (errors.ts).
function codesByStatus(codes: readonly ErrorCode[]): Map<number, ErrorCode[]> {
  const byStatus = new Map<number, ErrorCode[]>()
  for (const code of new Set(codes)) byStatus.set(statusOf(code), [...(byStatus.get(statusOf(code)) ?? []), code])
  return byStatus
}

// "Not Found: `title_not_found`, `not_found`": what a client reads to tell the refusals apart.
function describeCodes(status: number, codes: readonly ErrorCode[]): string {
  return `${STATUS_CODES[status] ?? 'Error'}: ${codes.map(code => `\`${code}\``).join(', ')}`
}

// The error answers of an operation, for its `response` beside the success schema: one per
// status its codes have, each naming its codes, with the api.md error body. (The openapi plugin
// ignores `detail.responses` once a route has a `response`, so signed-in routes list
// `unauthorized` here themselves.)
export function errorResponses<const C extends ErrorCode>(...codes: C[]) {
  return Object.fromEntries(
    [...codesByStatus(codes)].map(([status, ofStatus]) => [
      status,
      t.Object(ErrorSchema.properties, { description: describeCodes(status, ofStatus) }),
    ]),
  ) as { [S in StatusOfCode<C>]: typeof ErrorSchema }
}

// The same for an operation without a response schema (a 204, a stream, tus), as `detail.responses`.
export function errorAnswers(...codes: ErrorCode[]): Record<number, ReturnType<typeof errorAnswer>> {
  return Object.fromEntries([...codesByStatus(codes)].map(([status, ofStatus]) => [status, errorAnswer(describeCodes(status, ofStatus))]))
}

// `detail.responses` of an operation that answers 204 without a body (which a response schema
// cannot express) or fails with `codes`.
export function noContentAnswers(description: string, ...codes: ErrorCode[]) {
  return { 204: { description }, ...errorAnswers(...codes) }
}

// The options of an operation that answers 204 without a body (which a response schema cannot
// express): the status, set before the handler runs (a failure still answers with its own), and
// its OpenAPI answers. The handler then only does the work.
export function noContent(tag: string, summary: string, done: string, ...codes: ErrorCode[]) {
  return {
    beforeHandle({ set }: { set: { status?: number | string } }) {
      set.status = 204
    },
    detail: { summary, tags: [tag], responses: noContentAnswers(done, ...codes) },
  }
}

// The API document is generated from the route schemas (one source of truth); only
// /api/v1 routes are described. The browsable page is api-docs.ts.
export const openApiPlugin = openapi({
  provider: null,
  specPath: openApiPath,
  exclude: { paths: [/^\/(?!api\/v1\/)/, openApiPath] },
  documentation: {
    info: {
      title: 'MoviePoint API',
      version: '1',
      description: 'Catalogue, accounts, ratings, reviews and media of a MoviePoint server.',
    },
    // Relative: the document is served by the server it describes, whatever its address.
    servers: [{ url: '/' }],
    // Default for every operation: credentials are optional (a signed-in caller sees more, e.g.
    // myRating); operations that need an account override it through the signedIn macro.
    security: [{}, ...accountSecurity],
    components: {
      // The api.md error body, once; failure answers point here (errorAnswer).
      // (a copy: the plugin marks the objects it is given with their own $ref)
      schemas: { ErrorResponse: structuredClone(ErrorSchema) },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API token from POST /api/v1/tokens' },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'mp_session',
          description: 'The session cookie of the web pages; `__Host-mp_session` when PublicUrl is https',
        },
        runnerToken: { type: 'http', scheme: 'bearer', description: 'A runner token (mprt_…) from POST /api/v1/runners/register' },
        jobToken: { type: 'http', scheme: 'bearer', description: 'The job token (mprj_…) of a claim: valid for that job only' },
      },
    },
  },
})
