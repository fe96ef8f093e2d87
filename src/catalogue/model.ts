import { type IntegerOptions, Type } from '@sinclair/typebox'
import { t } from 'elysia'
import { ListOf, Nullable, PageQuery } from '../http/model'
import { MediaSchema } from '../media/model'

// ---- Requests ----

// TypeBox's own integer. Elysia's t.Integer also takes numeric strings (right for query
// strings and paths) through a Transform. JSON bodies use this one, so `"year": "1999"` is
// the 400 a typed API owes its clients; responses too, since a Transform anywhere in a
// response schema makes Elysia re-encode every item of every answer.
export const PlainInteger = (options: IntegerOptions = {}) => Type.Integer(options)

// Unions of literals, not t.UnionEnum: that one gives the schema a default (its first
// value), which an optional query or PATCH field would then silently take.
const Kind = t.Union([t.Literal('movie'), t.Literal('series')], {
  description: 'A movie has one video; a series has seasons of episodes',
})
const Sort = t.Union([t.Literal('added'), t.Literal('rating'), t.Literal('year'), t.Literal('name')], {
  description: 'added: newest first (default; relevance when q is given); rating: best first; year: newest first; name: A→Z, А→Я',
})
export const titleKinds = Kind.anyOf.map(literal => literal.const)
export const titleSorts = Sort.anyOf.map(literal => literal.const)

const Name = t.String({ minLength: 1, maxLength: 300 })
const OptionalName = t.Optional(Nullable(t.String({ maxLength: 300 })))
const yearRange = { minimum: 1870, maximum: 2100 }
const Description = t.Optional(Nullable(t.String({ maxLength: 10_000 })))
const Genre = t.String({ minLength: 1, maxLength: 50 })

export const TitleCreate = t.Object({
  kind: Kind,
  name: Name,
  originalName: OptionalName,
  year: t.Optional(Nullable(PlainInteger(yearRange))),
  description: Description,
  genres: t.Optional(t.Array(Genre, { maxItems: 20, description: 'Display spellings; matched case-insensitively' })),
})
export type TitleInput = typeof TitleCreate.static

export const TitleUpdate = t.Partial(TitleCreate)
export type TitlePatch = typeof TitleUpdate.static

export const TitleQuery = t.Object({
  q: t.Optional(
    t.String({
      maxLength: 200,
      description: 'Words to find in names and descriptions (prefixes match; all words required)',
    }),
  ),
  kind: t.Optional(Kind),
  genre: t.Optional(t.String({ maxLength: 50 })),
  year: t.Optional(t.Integer({ ...yearRange, title: 'year' })),
  sort: t.Optional(Sort),
  ...PageQuery,
})
export type TitleListQuery = typeof TitleQuery.static

const SeasonNumber = PlainInteger({ minimum: 0, maximum: 1000, description: '0 holds specials' })
export const SeasonCreate = t.Object({ number: SeasonNumber, name: OptionalName })
export const SeasonUpdate = t.Partial(SeasonCreate)
export type SeasonInput = typeof SeasonCreate.static
export type SeasonPatch = typeof SeasonUpdate.static

const EpisodeNumber = PlainInteger({ minimum: 0, maximum: 100_000 })
export const EpisodeCreate = t.Object({ number: EpisodeNumber, name: Name, description: Description })
export const EpisodeUpdate = t.Partial(EpisodeCreate)
export type EpisodeInput = typeof EpisodeCreate.static
export type EpisodePatch = typeof EpisodeUpdate.static

// ---- Responses ----

const Timestamp = t.String({ format: 'date-time' })

export const RatingSummary = t.Object({
  average: Nullable(t.Number({ description: 'Mean score, one decimal; null when nobody rated' })),
  count: PlainInteger(),
})

export const TitleSchema = t.Object({
  id: PlainInteger(),
  kind: Kind,
  name: t.String(),
  originalName: Nullable(t.String()),
  year: Nullable(PlainInteger()),
  description: Nullable(t.String()),
  genres: t.Array(t.String()),
  ownerId: Nullable(PlainInteger({ description: 'null once the owner deleted their account' })),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  rating: RatingSummary,
  myRating: Nullable(PlainInteger({ description: "The caller's score, null when anonymous or not rated" })),
  posterUrl: Nullable(t.String({ description: 'Poster of the newest playable video' })),
})

export const EpisodeSchema = t.Object({
  id: PlainInteger(),
  titleId: PlainInteger(),
  seasonId: PlainInteger(),
  number: PlainInteger(),
  name: t.String(),
  description: Nullable(t.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  media: Nullable(MediaSchema),
})

export const SeasonSchema = t.Object({
  id: PlainInteger(),
  titleId: PlainInteger(),
  number: PlainInteger(),
  name: Nullable(t.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})

export const SeasonDetail = t.Composite([SeasonSchema, t.Object({ episodes: t.Array(EpisodeSchema) })])

export const TitleDetail = t.Composite([
  TitleSchema,
  t.Object({
    seasons: t.Array(SeasonDetail, { description: 'Series: its seasons by number, each with its episodes; movie: []' }),
    media: Nullable(MediaSchema, { description: 'Movie: its current video; series: null (episodes carry theirs)' }),
  }),
])

export const TitleEnvelope = t.Object({ title: TitleSchema })
export const TitleDetailEnvelope = t.Object({ title: TitleDetail })
export const TitleList = ListOf(TitleSchema)
export const SeasonEnvelope = t.Object({ season: SeasonSchema })
export const SeasonDetailEnvelope = t.Object({ season: SeasonDetail })
export const EpisodeEnvelope = t.Object({ episode: EpisodeSchema })

export type Title = typeof TitleSchema.static
export type TitleDetailJson = typeof TitleDetail.static
export type Season = typeof SeasonSchema.static
export type SeasonDetailJson = typeof SeasonDetail.static
export type Episode = typeof EpisodeSchema.static
