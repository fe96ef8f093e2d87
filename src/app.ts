import { Elysia } from 'elysia'
import { adminRoutes } from './admin'
import { authRoutes } from './auth'
import { accountRoutes } from './auth/account-routes'
import { catalogueRoutes } from './catalogue'
import type { AppDeps } from './deps'
import { apiDocsRoutes } from './http/api-docs'
import { errorHandlerPlugin } from './http/error-handler'
import { bodyPolicyPlugin } from './http/body-policy'
import { openApiPlugin } from './http/openapi'
import { securityHeadersPlugin } from './http/security-headers'
import { mediaRoutes } from './media'
import { subtitleRoutes } from './media/subtitles'
import { pageRoutes } from './pages'
import { reviewRoutes } from './reviews'
import { type RunnerOrigin, runnerOrigin } from './runners/claims'
import { runnerRoutes } from './runners'
import { watchRoutes } from './watch'

// `runners`: the remote runners' jobs, which the server stops on shutdown (main.ts).
export function createApp(deps: AppDeps, runners: RunnerOrigin = runnerOrigin(deps)) {
  return new Elysia()
    .use(securityHeadersPlugin)
    .use(errorHandlerPlugin)
    .use(bodyPolicyPlugin({ timeoutMs: deps.config.bodyTimeoutSeconds * 1000 }))
    .use(openApiPlugin)
    .use(apiDocsRoutes)
    .use(runnerRoutes(deps, runners))
    .use(authRoutes(deps))
    .use(adminRoutes(deps))
    .use(accountRoutes(deps))
    .use(catalogueRoutes(deps))
    .use(reviewRoutes(deps))
    .use(mediaRoutes(deps))
    .use(subtitleRoutes(deps))
    .use(watchRoutes(deps))
    .use(pageRoutes(deps))
}
