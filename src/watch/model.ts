import { t } from 'elysia'
import { Nullable } from '../http/model'

export const PositionPut = t.Object({
  positionSec: t.Number({ minimum: 0, maximum: 10_000_000, description: 'Seconds from the start of the video' }),
})

export const PositionAnswer = t.Object({
  mediaId: t.Integer(),
  positionSec: Nullable(t.Number({ description: 'Where you stopped; null if you never watched it' })),
  updatedAt: Nullable(t.String({ format: 'date-time' })),
})
export type Position = typeof PositionAnswer.static
