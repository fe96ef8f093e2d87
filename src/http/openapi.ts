import { ErrorSchema } from './model'
import { openapi } from '@elysiajs/openapi'

export const openApiPath = '/api/v1/openapi.json'

// What an account-only operation accepts: an API token or the pages' session cookie.
export const accountSecurity: Record<string, string[]>[] = [{ bearer: [] }, { session: [] }]

// A failure answer in the api.md format ({error:{code,message}}), pointing at the one shared schema.
export function errorAnswer(description: string) {
  return { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } } }
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
      },
    },
  },
})
