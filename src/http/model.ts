import { Type } from '@sinclair/typebox'
import { t } from 'elysia'

// Shared request/response schemas of the JSON API.

// Ids are positive integers that fit in a JS number; anything else is a 400.
// `title` names the parameter in range errors (see validationResponse in error-handler.ts).
export const Id = t.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, title: 'id' })
export const IdParams = t.Object({ id: Id })

// The page numbers of every list: the API's `page` and the pages' links (?page=, ?reviews=).
export const pageNumberRule = { minimum: 1, maximum: 1_000_000 } as const

export const PageQuery = {
  page: t.Optional(t.Integer({ ...pageNumberRule, default: 1, title: 'page' })),
  perPage: t.Optional(t.Integer({ minimum: 1, maximum: 100, default: 20, title: 'perPage' })),
}

// Plain TypeBox integers: Elysia's t.Integer is a Transform, and one anywhere in a response
// schema makes Elysia re-encode the whole list on every answer.
export function ListOf<T extends import('@sinclair/typebox').TSchema>(item: T) {
  return t.Object({
    items: t.Array(item),
    page: Type.Integer(),
    perPage: Type.Integer(),
    total: Type.Integer(),
  })
}

// t.Nullable adds the OpenAPI 3.0 keyword `nullable`, which 3.1 (what the document is) forbids;
// a union with null says the same in JSON Schema and validates alike.
export function Nullable<T extends import('@sinclair/typebox').TSchema>(schema: T, options?: import('@sinclair/typebox').SchemaOptions) {
  return t.Union([schema, t.Null()], options)
}

export const ErrorSchema = t.Object({
  error: t.Object({ code: t.String(), message: t.String() }),
})

export type Paging = { page: number; perPage: number }

export function pageOf(query: { page?: number; perPage?: number }): Paging {
  return { page: query.page ?? 1, perPage: query.perPage ?? 20 }
}

export function offsetOf({ page, perPage }: Paging): number {
  return (page - 1) * perPage
}
