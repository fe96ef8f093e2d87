import { openapi } from '@elysiajs/openapi'
import { Elysia } from 'elysia'
import { authRoutes } from './auth'
import { catalogueRoutes } from './catalogue'
import type { AppDeps } from './deps'
import { apiDocsRoutes } from './http/api-docs'
import { errorHandlerPlugin } from './http/error-handler'
import { jsonBodyPlugin } from './http/json-body'
import { securityHeadersPlugin } from './http/security-headers'
import { mediaRoutes } from './media'
import { subtitleRoutes } from './media/subtitles'
import { pageRoutes } from './pages'
import { reviewRoutes } from './reviews'

export const openApiPath = '/api/v1/openapi.json'

export function createApp(deps: AppDeps) {
  return new Elysia()
    .use(securityHeadersPlugin)
    .use(errorHandlerPlugin)
    .use(jsonBodyPlugin)
    .use(
      openapi({
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
              session: { type: 'apiKey', in: 'cookie', name: 'mp_session' },
            },
          },
        },
      }),
    )
    .use(apiDocsRoutes)
    .use(authRoutes(deps))
    .use(catalogueRoutes(deps))
    .use(reviewRoutes(deps))
    .use(mediaRoutes(deps))
    .use(subtitleRoutes(deps))
    .use(pageRoutes(deps))
}

export type App = ReturnType<typeof createApp>
