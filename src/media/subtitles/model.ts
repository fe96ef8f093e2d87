import { t } from 'elysia'
import { MediaSchema } from '../model'

export const maxSubtitleBytes = 2 * 1024 * 1024

export const SubtitleUpload = t.Object({
  file: t.File({ description: 'An .srt or .vtt file, at most 2 MiB (UTF-8, UTF-16 with BOM, or CP1251)' }),
  lang: t.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 639-1 language code, e.g. "en", "ru"' }),
})

export const SubtitleTrackSchema = t.Object({ lang: t.String(), name: t.String() })

export const SubtitleAdded = t.Object({ media: MediaSchema, track: SubtitleTrackSchema })
