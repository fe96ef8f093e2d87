import { t } from 'elysia'

// Shared request/response schemas of the JSON API.

// Ids are positive integers that fit in a JS number; anything else is a 400.
export const Id = t.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })
export const IdParams = t.Object({ id: Id })

export const PageQuery = {
  page: t.Optional(t.Integer({ minimum: 1, maximum: 1_000_000, default: 1 })),
  perPage: t.Optional(t.Integer({ minimum: 1, maximum: 100, default: 20 })),
}

export function ListOf<T extends import('@sinclair/typebox').TSchema>(item: T) {
  return t.Object({
    items: t.Array(item),
    page: t.Integer(),
    perPage: t.Integer(),
    total: t.Integer(),
  })
}

export const ErrorSchema = t.Object({
  error: t.Object({ code: t.String(), message: t.String() }),
})

export type Page = { page: number; perPage: number }

export function pageOf(query: { page?: number; perPage?: number }): Page {
  return { page: query.page ?? 1, perPage: query.perPage ?? 20 }
}

export function offsetOf({ page, perPage }: Page): number {
  return (page - 1) * perPage
}
