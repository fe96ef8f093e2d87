import { t } from 'elysia'
import { mediaStatuses } from '../db/schema'
import { ListOf, Nullable } from '../http/model'

// The contract's `media` object (shared/api.md), as built by toMediaJson in json.ts.
const Track = t.Object({ lang: t.String(), name: t.String() })

export const MediaSchema = t.Object({
  id: t.Integer(),
  titleId: Nullable(t.Integer()),
  episodeId: Nullable(t.Integer()),
  status: t.UnionEnum(mediaStatuses),
  progress: t.Number({ minimum: 0, maximum: 1 }),
  error: Nullable(t.String({ description: 'Why processing failed, in English' })),
  errorCode: Nullable(t.String({ description: 'Why processing failed, as a code (e.g. memory_limit, timestamp_gap)' })),
  errorParams: Nullable(t.Record(t.String(), t.Union([t.String(), t.Number()]), { description: 'The figures the reason names' })),
  durationSec: Nullable(t.Number()),
  source: Nullable(
    t.Object({
      width: t.Integer(),
      height: t.Integer(),
      videoCodec: t.String(),
      audioTracks: t.Integer(),
      frameRate: t.Optional(t.Number()),
    }),
  ),
  renditions: t.Array(t.Object({ name: t.String(), width: t.Integer(), height: t.Integer(), bandwidth: t.Integer() })),
  audio: t.Array(Track),
  subtitles: t.Array(Track),
  masterUrl: Nullable(t.String()),
  posterUrl: Nullable(t.String()),
  thumbnails: Nullable(t.String({ description: 'Seek-bar previews: the URL of a WebVTT file whose cues point at sprite#xywh=x,y,w,h' })),
  createdAt: t.String(),
  updatedAt: t.String(),
})

export const MediaEnvelope = t.Object({ media: MediaSchema })

// `?filename=` names a raw PUT upload when no Content-Disposition does (display text only).
export const RawUploadQuery = t.Object({
  filename: t.Optional(t.String({ maxLength: 1024 })),
})

export const UploadParams = t.Object({
  uploadId: t.String({ maxLength: 64, description: 'The id at the end of the Location of POST /api/v1/uploads' }),
})

// GET /api/v1/me/media: the media with what it belongs to and whether it can be retried.
export const MyMediaSchema = t.Composite([
  MediaSchema,
  t.Object({
    title: Nullable(
      t.Object(
        { id: t.Integer(), name: t.String(), kind: t.UnionEnum(['movie', 'series']) },
        { description: 'The movie, or the series of the episode' },
      ),
    ),
    episode: Nullable(t.Object({ id: t.Integer(), number: t.Integer(), name: t.String(), seasonNumber: t.Integer() })),
    errorMessage: Nullable(t.String({ description: 'Why processing failed, in the language of Accept-Language (en or ru)' })),
    canRetry: t.Boolean({ description: 'Failed, and its uploaded file is still kept (FailedSourceDays): POST /api/v1/media/:id/retry' }),
    isSourceGone: t.Boolean({ description: 'Failed, and its uploaded file was removed after FailedSourceDays: upload it again' }),
  }),
])
export const MyMediaList = ListOf(MyMediaSchema)
