// Row types, derived from the schema: a column added there reaches every reader, with no
// hand-kept twin to fall behind.
import type { episodes, media, reviews, seasons, titles, users } from './schema'

export type UserRow = typeof users.$inferSelect
export type TitleRow = typeof titles.$inferSelect
export type SeasonRow = typeof seasons.$inferSelect
export type EpisodeRow = typeof episodes.$inferSelect
export type MediaRow = typeof media.$inferSelect
export type ReviewRow = typeof reviews.$inferSelect
