// What every admin API route shares: the `adminOnly` macro (checked on the server: 401 when
// not signed in, 403 `admin_only` for anyone else), its OpenAPI security and its 4xx codes.
import { Elysia } from 'elysia'
import { authPlugin } from '../auth/plugin'
import type { AppDeps } from '../deps'
import { forbidden, unauthorized } from '../http/errors'
import { signedInSecurity } from './model'

export const adminDetail = (summary: string) => ({ detail: { summary, tags: ['Admin'], security: signedInSecurity } })

export const adminOperation = <T extends { detail: object }>(options: T) => ({
  ...options,
  detail: { ...options.detail, security: signedInSecurity },
})

// Every admin route: not signed in, or not an admin.
export const adminCodes = ['unauthorized', 'admin_only'] as const

export const adminOnlyPlugin = (deps: AppDeps) =>
  new Elysia({ name: 'admin-only', seed: deps.config.file }).use(authPlugin(deps)).macro({
    adminOnly: {
      resolve({ viewer }) {
        if (!viewer) throw unauthorized()
        if (!viewer.user.isAdmin) throw forbidden('admin_only', 'Only admins may do this')
        return { admin: viewer.user }
      },
    },
  })
