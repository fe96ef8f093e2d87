// media/: media rows, their JSON, progress events, the /api/v1/media routes (this file), subtitle uploads.
import { type DocumentDecoration, Elysia, t } from 'elysia'
import { authPlugin } from '../auth/plugin'
import type { User } from '../auth/users'
import type { AppDeps } from '../deps'
import { ClientSlots } from '../http/client-slots'
import { AppError } from '../http/errors'
import { IdParams, PageQuery, pageOf } from '../http/model'
import { pickLocale, translator } from '../i18n'
import { lookupById, ownerOrAdminChange, ownerOrAdminNoContent } from '../http/id-routes'
import { errorAnswers, errorResponses, noContentAnswers } from '../http/openapi'
import { createMediaFileServer, fileServerOptionsOf } from '../streaming/serve'
import { startUploadHousekeeping } from '../uploads/complete'
import { uploadLimitsOf } from '../uploads/limits'
import { rawUploadErrorCodes, receiveRawUpload } from '../uploads/raw-put'
import { createTusUploads, mediaIdHeader, tusCreationErrorCodes, tusResumeErrorCodes } from '../uploads/tus'
import { MediaProgressFeed } from './events'
import { listMediaOf } from './mine'
import { MediaEnvelope, MyMediaList, RawUploadQuery, UploadParams } from './model'
import { startFailedSourceSweep } from './retention'
import { retryMedia, retryRefusalCodes } from './retry'
import { assertCanQueueVideo, assertCanModifyMedia, deleteMedia, getMedia, type MediaTarget } from './service'
import { acceptedMedia, toMediaJson } from './json'

const detail = (decoration: Omit<DocumentDecoration, 'tags'>) => ({ detail: { ...decoration, tags: ['Media'] } })

type Parameter = NonNullable<DocumentDecoration['parameters']>[number]
const header = (name: string, description: string): Parameter => ({
  in: 'header',
  name,
  required: true,
  description,
  schema: { type: 'string' },
})
const tusResumable = header('Tus-Resumable', 'Always `1.0.0`')

const rawUploadDetail = (target: string) =>
  detail({
    summary: `Upload the video of ${target} in one request`,
    description:
      'The raw file is the request body (any Content-Type; chunked allowed), streamed to disk. ' +
      'Name it with `Content-Disposition: attachment; filename="…"` or `?filename=` (display only). ' +
      '413 above MaxUploadBytes, 429 `too_many_queued_videos` (MaxQueuedJobsPerUser), 507 when the disk is too full. Answers 202: the video is queued for processing.',
  })

const eventStreamHeaders = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store',
  // Tells nginx-style proxies not to hold events back.
  'x-accel-buffering': 'no',
}

const tooManyStreams = (max: number) =>
  new AppError('too_many_streams', `At most ${max} event streams per client at once; close one first`)

export function mediaRoutes(deps: AppDeps) {
  const { store } = deps
  const rawStore = { ...store, ...uploadLimitsOf(deps.config) }
  const tus = createTusUploads(deps)
  startUploadHousekeeping(store, tus.finishCompleteUploads)
  startFailedSourceSweep(store, deps.config.failedSourceDays)
  const serveMediaFile = createMediaFileServer(deps.config.mediaDataPath, fileServerOptionsOf(deps.config))
  const progressFeed = new MediaProgressFeed(deps.db, { pollMs: 500, keepAliveMs: 15_000 })
  const streamSlots = new ClientSlots(deps.config.maxEventStreamsPerClient)

  // main.ts serves these same files as a route of Bun itself (faster); this route answers
  // wherever the app runs without that (app.handle in checks, another entry point).
  const streaming = new Elysia()
    .get('/media/:mediaId/*', ({ request }) => serveMediaFile(request), { detail: { hide: true } })
    .options('/media/:mediaId/*', ({ request }) => serveMediaFile(request), { detail: { hide: true } })

  // PUT /titles/:id/video and /episodes/:id/video: one handler, told which kind of target.
  const rawUploadTo =
    (kind: MediaTarget['kind']) =>
    async (context: {
      request: Request
      user: User
      params: { id: number }
      query: { filename?: string }
      set: { status?: number | string }
    }) => {
      const { request, user, params, query, set } = context
      await assertCanQueueVideo(deps.db, user, deps.config.maxQueuedJobsPerUser)
      const row = await receiveRawUpload(rawStore, { request, user, target: { kind, id: params.id }, filename: query.filename })
      return acceptedMedia(set, row)
    }
  const rawUploadRoute = (target: string) =>
    ({
      ...ownerOrAdminChange({ 202: MediaEnvelope }, ...rawUploadErrorCodes),
      parse: 'none',
      query: RawUploadQuery,
      ...rawUploadDetail(target),
    }) as const

  const api = new Elysia({ prefix: '/api/v1' })
    .use(authPlugin(deps))
    .options('/uploads', ({ request }) => tus.describe(request), {
      parse: 'none',
      ...detail({ summary: 'tus: what the upload endpoint supports (Tus-Version, Tus-Extension, Tus-Max-Size)' }),
    })
    .post(
      '/uploads',
      async ({ request, user }) => {
        await assertCanQueueVideo(deps.db, user, deps.config.maxQueuedJobsPerUser)
        return tus.create(request, user)
      },
      {
        signedIn: true,
        parse: 'none',
        ...detail({
          summary: 'tus: start a resumable upload',
          description:
            'tus 1.0 creation. Answers 201 with `Location` (the upload URL for HEAD/PATCH/DELETE) and ' +
            `\`${mediaIdHeader}\` (the media being created). 400 bad headers or target, 403 not the title's owner, ` +
            '404 no such target, 413 above MaxUploadBytes, 429 `too_many_queued_videos` (MaxQueuedJobsPerUser), ' +
            '507 not enough disk space.',
          responses: { 201: { description: 'Upload created' }, ...errorAnswers('unauthorized', ...tusCreationErrorCodes) },
          parameters: [
            tusResumable,
            header('Upload-Length', 'Size of the whole file in bytes'),
            header('Upload-Metadata', '`filename <base64>,target <base64 of title:<id> or episode:<id>>`'),
          ],
        }),
      },
    )
    .head('/uploads/:uploadId', ({ request, user, params }) => tus.resume(request, user, params.uploadId), {
      signedIn: true,
      parse: 'none',
      params: UploadParams,
      ...detail({
        summary: 'tus: how much of an upload the server has (Upload-Offset)',
        responses: {
          200: { description: 'Upload-Offset and Upload-Length in the headers' },
          ...errorAnswers('unauthorized', ...tusResumeErrorCodes),
        },
        parameters: [tusResumable],
      }),
    })
    .patch('/uploads/:uploadId', ({ request, user, params }) => tus.resume(request, user, params.uploadId), {
      signedIn: true,
      parse: 'none',
      params: UploadParams,
      ...detail({
        summary: 'tus: send the next bytes of an upload',
        description:
          'Body: `application/offset+octet-stream` starting at `Upload-Offset`. Answers 204 with the new offset; ' +
          'the last part moves the file into place and queues it for processing. 409 when the offset is not ' +
          'the current one (or another PATCH of the same upload took over).',
        responses: noContentAnswers('Stored; the new Upload-Offset in the headers', 'unauthorized', ...tusResumeErrorCodes),
        parameters: [tusResumable, header('Upload-Offset', 'Where these bytes start')],
      }),
    })
    .delete('/uploads/:uploadId', ({ request, user, params }) => tus.resume(request, user, params.uploadId), {
      signedIn: true,
      parse: 'none',
      params: UploadParams,
      ...detail({
        summary: 'tus: cancel an upload (its partial file and media are deleted)',
        responses: noContentAnswers('Cancelled', 'unauthorized', ...tusResumeErrorCodes),
        parameters: [tusResumable],
      }),
    })
    .options('/uploads/:uploadId', ({ request }) => tus.describe(request), {
      parse: 'none',
      params: UploadParams,
      ...detail({ summary: 'tus: what the upload endpoint supports' }),
    })
    .put('/titles/:id/video', rawUploadTo('title'), rawUploadRoute('a movie'))
    .put('/episodes/:id/video', rawUploadTo('episode'), rawUploadRoute('an episode'))
    .get('/media/:id', async ({ params }) => ({ media: toMediaJson(await getMedia(deps.db, params.id)) }), {
      ...lookupById({ 200: MediaEnvelope }, 'media_not_found'),
      ...detail({ summary: 'One video: processing status, renditions, tracks, playlist URL' }),
    })
    .get(
      '/media/:id/events',
      async ({ params, clientAddress }) => {
        const release = streamSlots.take(clientAddress)
        if (!release) throw tooManyStreams(streamSlots.maxPerClient)
        try {
          await getMedia(deps.db, params.id)
        } catch (error) {
          release()
          throw error
        }
        return new Response(progressFeed.stream(params.id, release), { headers: eventStreamHeaders })
      },
      {
        params: IdParams,
        ...detail({
          summary: 'Processing progress as Server-Sent Events',
          description:
            '`text/event-stream`; each event is `data: {"status", "progress", "error"}`, sent on change. ' +
            'The stream ends after `ready` or `failed` (close your EventSource then). ' +
            'At most MaxEventStreamsPerClient (16) streams per client address at once: 429 `too_many_streams` beyond.',
          responses: {
            200: { description: 'The event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } },
            ...errorAnswers('invalid_input', 'media_not_found', 'too_many_streams'),
          },
        }),
      },
    )
    .get(
      '/me/media',
      async ({ user, query, headers }) => {
        const translate = translator(pickLocale({ acceptLanguage: headers['accept-language'] }))
        const paging = pageOf(query)
        return { ...paging, ...(await listMediaOf(store, { ownerId: user.id, paging, t: translate })) }
      },
      {
        signedIn: true,
        query: t.Object(PageQuery),
        response: { 200: MyMediaList, ...errorResponses('invalid_input', 'unauthorized') },
        ...detail({
          summary: 'Every video I uploaded, newest first: status, progress, failure reason, whether it can be retried',
        }),
      },
    )
    .post('/media/:id/retry', async ({ user, params, set }) => acceptedMedia(set, await retryMedia(store, user, params.id)), {
      ...ownerOrAdminChange({ 202: MediaEnvelope }, 'media_not_found', ...retryRefusalCodes),
      ...detail({
        summary: 'Queue a failed video again (owner or admin)',
        description:
          'The same uploaded file is processed again from a clean state, with a fresh count of attempts. ' +
          '409 `media_not_failed` unless it failed; 409 `source_gone` once its file was removed (FailedSourceDays after the failure); ' +
          '409 `worker_stopping` for a few seconds after an admin cancelled it while it ran.',
      }),
    })
    .delete(
      '/media/:id',
      async ({ user, params }) => {
        await assertCanModifyMedia(deps.db, user, await getMedia(deps.db, params.id))
        await deleteMedia(store, params.id)
      },
      {
        ...ownerOrAdminNoContent('Media', 'Delete a video and its files (owner or admin)', 'Deleted', 'media_not_found'),
      },
    )

  return new Elysia({ name: 'media' }).use(streaming).use(api)
}
