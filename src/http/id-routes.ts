// The options of API routes on one thing named by the id in the path (`/seasons/:id`): what
// every such route declares alike, said once, so that a route keeps only its own answer, codes,
// body and summary. Each route still spreads these beside its own options, so Elysia infers
// `params`, `body` and `user` in its handler as usual.
import type { TSchema } from '@sinclair/typebox'
import type { ErrorCode } from './errors'
import { IdParams } from './model'
import { errorResponses, noContent } from './openapi'

// What every change that only its owner or an admin may make can meet: a bad id or body, no
// account, someone else's thing (rights.ts).
const changeCodes = ['invalid_input', 'unauthorized', 'forbidden'] as const
type ChangeCode = (typeof changeCodes)[number]

// Reading one thing: a bad id, or no such thing (its not-found code).
export function lookupById<const A extends Record<number, TSchema>, const C extends ErrorCode>(answer: A, ...codes: C[]) {
  return { params: IdParams, response: { ...answer, ...errorResponses<'invalid_input' | C>('invalid_input', ...codes) } }
}

// Changing one thing (or adding to it: a season to its series), which only its owner or an admin
// may do (its service checks, rights.ts): an account (the signedIn macro of auth/plugin.ts), the
// id, the answer, changeCodes and the route's own codes.
export function ownerOrAdminChange<const A extends Record<number, TSchema>, const C extends ErrorCode>(answer: A, ...codes: C[]) {
  return {
    signedIn: true,
    params: IdParams,
    response: { ...answer, ...errorResponses<ChangeCode | C>(...changeCodes, ...codes) },
  } as const
}

// The same for a change that answers 204 without a body (a deletion), with its OpenAPI answers.
export function ownerOrAdminNoContent(tag: string, summary: string, done: string, ...codes: ErrorCode[]) {
  return { signedIn: true, params: IdParams, ...noContent(tag, summary, done, ...changeCodes, ...codes) } as const
}
