import { t } from 'elysia'
import { PlainInteger, RatingSummary } from '../catalogue/model'
import { ListOf, Nullable, PageQuery } from '../http/model'
import { reviewBodyRule, scoreRule } from './rules'

export const RatingPut = t.Object({ score: PlainInteger({ ...scoreRule }) })

export const RatingAnswer = t.Object({
  rating: RatingSummary,
  myRating: Nullable(PlainInteger({ description: "The caller's score; null after DELETE" })),
})
export type RatingJson = typeof RatingAnswer.static

const Body = t.String({ ...reviewBodyRule, description: 'Plain text; always shown escaped' })

export const ReviewCreate = t.Object({ body: Body, spoiler: t.Optional(t.Boolean({ description: 'Default false' })) })
export const ReviewUpdate = t.Partial(ReviewCreate)
export type ReviewInput = typeof ReviewCreate.static
export type ReviewPatch = typeof ReviewUpdate.static

export const ReviewQuery = t.Object(PageQuery)

export const ReviewSchema = t.Object({
  id: PlainInteger(),
  titleId: PlainInteger(),
  author: t.Object({ id: PlainInteger(), username: t.String() }),
  body: t.String(),
  spoiler: t.Boolean(),
  score: Nullable(PlainInteger({ description: "The author's current rating of the title" })),
  createdAt: t.String({ format: 'date-time' }),
  updatedAt: t.String({ format: 'date-time' }),
})
export type Review = typeof ReviewSchema.static

export const ReviewEnvelope = t.Object({ review: ReviewSchema })
export const ReviewList = ListOf(ReviewSchema)
