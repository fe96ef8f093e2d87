import { openapi } from '@elysiajs/openapi'

export const openApiPath = '/api/v1/openapi.json'

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
    components: {
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
