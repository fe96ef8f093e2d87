// What every admin API route shares: the `adminOnly` macro (checked on the server: 401 when
// not signed in, 403 `admin_only` for anyone else), its OpenAPI security and its 4xx codes.
import type { TSchema } from '@sinclair/typebox'
import { Elysia } from 'elysia'
import { authPlugin } from '../auth/plugin'
import type { AppDeps } from '../deps'
import { type ErrorCode, forbidden, unauthorized } from '../http/errors'
import { IdParams } from '../http/model'
import { errorResponses, noContent } from '../http/openapi'
import { signedInSecurity } from './model'

export const adminDetail = (summary: string) => ({ detail: { summary, tags: ['Admin'], security: signedInSecurity } })

// Every admin route: not signed in, or not an admin.
export const adminCodes = ['unauthorized', 'admin_only'] as const
type AdminCode = (typeof adminCodes)[number]

// An admin route: the macro, the answer, and adminCodes before the route's own codes.
export function adminRoute<const A extends Record<number, TSchema>, const C extends ErrorCode>(answer: A, ...codes: C[]) {
  return { adminOnly: true, response: { ...answer, ...errorResponses<AdminCode | C>(...adminCodes, ...codes) } } as const
}

// An admin route on one thing named by the id in the path (a user, a job, a runner): the id
// too, and a bad id among its codes.
export function adminById<const A extends Record<number, TSchema>, const C extends ErrorCode>(answer: A, ...codes: C[]) {
  return { ...adminRoute<A, 'invalid_input' | C>(answer, 'invalid_input', ...codes), params: IdParams } as const
}

// The same for one that answers 204 without a body (cancel, revoke, delete), with its OpenAPI answers.
export function adminByIdNoContent(summary: string, done: string, ...codes: ErrorCode[]) {
  const options = noContent('Admin', summary, done, ...adminCodes, 'invalid_input', ...codes)
  return { adminOnly: true, params: IdParams, ...options, detail: { ...options.detail, security: signedInSecurity } } as const
}

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
