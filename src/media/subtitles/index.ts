import { Elysia } from 'elysia'
import { authPlugin } from '../../auth/plugin'
import type { AppDeps } from '../../deps'
import { IdParams } from '../../http/model'
import { errorResponses } from '../../http/openapi'
import { toMediaJson } from '../json'
import { SubtitleAdded, SubtitleUpload } from './model'
import { addSubtitleTrack } from './service'

export function subtitleRoutes(deps: AppDeps) {
  const { store } = deps
  return new Elysia({ prefix: '/api/v1' }).use(authPlugin(deps)).post(
    '/media/:id/subtitles',
    async ({ user, params, body, set }) => {
      const { media, track } = await addSubtitleTrack(store, user, { mediaId: params.id, file: body.file, lang: body.lang })
      set.status = 201
      return { media: toMediaJson(media), track }
    },
    {
      signedIn: true,
      params: IdParams,
      body: SubtitleUpload,
      response: {
        201: SubtitleAdded,
        ...errorResponses(
          'invalid_input',
          'invalid_subtitles',
          'unauthorized',
          'forbidden',
          'media_not_found',
          'media_not_ready',
          'payload_too_large',
          'unsupported_media_type',
        ),
      },
      detail: {
        summary: 'Add a subtitle track to a video (owner or admin)',
        description:
          'multipart/form-data with `file` (.srt or .vtt, at most 2 MiB; UTF-8, UTF-16 or CP1251) and `lang` ' +
          "(ISO 639-1). A track of the same language is replaced. Cue text keeps only WebVTT's own tags (b, i, u, " +
          'c, v, lang, ruby, rt); any other markup is shown as text. The master playlist gains the track. ' +
          '409 unless the video is processing or ready.',
        tags: ['Media'],
      },
    },
  )
}
