import { type IntegerOptions, type TLiteral, type TUnion, Type } from '@sinclair/typebox'
import { t } from 'elysia'
import { ListOf, Nullable, PageQuery } from '../http/model'
import { MediaSchema } from '../media/model'
import {
  descriptionRule,
  episodeNumberRule,
  genreRule,
  genresRule,
  nameRule,
  optionalNameRule,
  searchRule,
  seasonNumberRule,
  titleKinds,
  titleSorts,
  yearRule,
} from './rules'

// ---- Requests ----

// TypeBox's own integer. Elysia's t.Integer also takes numeric strings (right for query
// strings and paths) through a Transform. JSON bodies use this one, so `"year": "1999"` is
// the 400 a typed API owes its clients; responses too, since a Transform anywhere in a
// response schema makes Elysia re-encode every item of every answer.
export const PlainInteger = (options: IntegerOptions = {}) => Type.Integer(options)

// Unions of literals, not t.UnionEnum: that one gives the schema a default (its first
// value), which an optional query or PATCH field would then silently take.
// A union of the literals of a rule's list (rules.ts), typed as that list.
type LiteralsOf<T extends readonly string[]> = { -readonly [K in keyof T]: TLiteral<T[K]> }
function oneOf<const T extends readonly string[]>(values: T, options: { description: string }): TUnion<LiteralsOf<T>> {
  return Type.Union(
    values.map(value => t.Literal(value)),
    options,
  ) as unknown as TUnion<LiteralsOf<T>>
}
const Kind = oneOf(titleKinds, { description: 'A movie has one video; a series has seasons of episodes' })
const Sort = oneOf(titleSorts, {
  description: 'added: newest first (default; relevance when q is given); rating: best first; year: newest first; name: A→Z, А→Я',
})

const Name = t.String({ ...nameRule })
const OptionalName = t.Optional(Nullable(t.String({ ...optionalNameRule })))
const yearRange = { ...yearRule }
const Description = t.Optional(Nullable(t.String({ ...descriptionRule })))
const Genre = t.String({ ...genreRule })

export const TitleCreate = t.Object({
  kind: Kind,
  name: Name,
  originalName: OptionalName,
  year: t.Optional(Nullable(PlainInteger(yearRange))),
  description: Description,
  genres: t.Optional(t.Array(Genre, { ...genresRule, description: 'Display spellings; matched case-insensitively' })),
})
export type TitleInput = typeof TitleCreate.static

export const TitleUpdate = t.Partial(TitleCreate)
export type TitlePatch = typeof TitleUpdate.static

export const TitleQuery = t.Object({
  q: t.Optional(
    t.String({
      ...searchRule,
      description:
        'Words to find in names and descriptions: all words required, each as typed (prefixes match) or in another form of the word (Russian and English stems); whole words in the name rank first',
    }),
  ),
  kind: t.Optional(Kind),
  genre: t.Optional(t.String({ maxLength: genreRule.maxLength })),
  year: t.Optional(t.Integer({ ...yearRange, title: 'year' })),
  sort: t.Optional(Sort),
  ...PageQuery,
})
export type TitleListQuery = typeof TitleQuery.static

const SeasonNumber = PlainInteger({ ...seasonNumberRule, description: '0 holds specials' })
export const SeasonCreate = t.Object({ number: SeasonNumber, name: OptionalName })
export const SeasonUpdate = t.Partial(SeasonCreate)
export type SeasonInput = typeof SeasonCreate.static
export type SeasonPatch = typeof SeasonUpdate.static

const EpisodeNumber = PlainInteger({ ...episodeNumberRule })
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
