// The catalogue's rules, declared once: the API's `t` schemas (model.ts), the page forms,
// their HTML attributes and their messages (src/pages) are all built from these values.

// A movie has one video; a series has seasons of episodes.
export const titleKinds = ['movie', 'series'] as const
export type TitleKind = (typeof titleKinds)[number]

// added: newest first (the default; relevance when q is given); rating: best first;
// year: newest first; name: A→Z, А→Я.
export const titleSorts = ['added', 'rating', 'year', 'name'] as const
export type TitleSort = (typeof titleSorts)[number]

export const nameRule = { minLength: 1, maxLength: 300 } as const
// A title's original name, a season's name: optional.
export const optionalNameRule = { maxLength: 300 } as const
export const descriptionRule = { maxLength: 10_000 } as const
export const genreRule = { minLength: 1, maxLength: 50 } as const
export const genresRule = { maxItems: 20 } as const
export const yearRule = { minimum: 1870, maximum: 2100 } as const
export const searchRule = { maxLength: 200 } as const

// Season 0 holds specials.
export const seasonNumberRule = { minimum: 0, maximum: 1000 } as const
export const episodeNumberRule = { minimum: 0, maximum: 100_000 } as const
