// The rules of ratings and reviews, declared once: the API's `t` schemas (model.ts), the
// page forms, their HTML attributes and their messages (src/pages) are built from these.

export const scoreRule = { minimum: 1, maximum: 10 } as const

// Plain text, always shown escaped.
export const reviewBodyRule = { minLength: 1, maxLength: 10_000 } as const
