import { t } from 'elysia'
import { Nullable } from '../http/model'
import { languageTagRule, subtitleLanguageRule, subtitlesOff } from './rules'

export const PositionPut = t.Object({
  positionSec: t.Number({ minimum: 0, maximum: 10_000_000, description: 'Seconds from the start of the video' }),
})

export const PositionAnswer = t.Object({
  mediaId: t.Integer(),
  positionSec: Nullable(t.Number({ description: 'Where you stopped; null if you never watched it' })),
  updatedAt: Nullable(t.String({ format: 'date-time' })),
})
export type Position = typeof PositionAnswer.static

export const ContinueItemSchema = t.Object({
  titleId: t.Integer(),
  titleName: t.String(),
  mediaId: t.Integer({ description: 'The video to resume: the movie, or the episode watched last' }),
  positionSec: t.Number(),
  durationSec: Nullable(t.Number()),
  updatedAt: t.String({ format: 'date-time' }),
  posterUrl: Nullable(t.String()),
  episode: Nullable(t.Object({ id: t.Integer(), seasonNumber: t.Integer(), number: t.Integer(), name: t.String() })),
})
export type ContinueItem = typeof ContinueItemSchema.static

export const ContinueWatchingAnswer = t.Object({ items: t.Array(ContinueItemSchema) })

// The languages the player starts every film with; null: nothing chosen yet.
export const PlayerPreferences = t.Object({
  audioLang: Nullable(t.String({ ...languageTagRule, description: 'Audio language tag, as the playlists name tracks (ru, en)' })),
  subtitleLang: Nullable(
    t.String({ ...subtitleLanguageRule, description: `Subtitle language tag, or "${subtitlesOff}" for subtitles turned off` }),
  ),
})
export type PlayerPreferences = typeof PlayerPreferences.static
