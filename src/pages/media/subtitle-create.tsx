import { findEpisodeRow } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { assertCanModifyMedia, getMedia } from '../../media/service'
import { addSubtitleTrack } from '../../media/subtitles/service'
import { toMediaJson } from '../../media/json'
import { attempt } from '../attempt'
import { redirectTo, renderPage, signedIn, type SignedInPage } from '../respond'
import { fieldText } from '../ui/form'
import { SubtitleForm } from './subtitle-form'

// Where a video is shown: its movie's page or its episode's.
async function videoPagePath(deps: AppDeps, media: { titleId: number | null; episodeId: number | null }): Promise<string> {
  if (media.titleId !== null) return `/titles/${media.titleId}`
  const { episode } = await findEpisodeRow(deps.db, media.episodeId ?? 0)
  return `/episodes/${episode.id}`
}

function fileOf(body: unknown): File | null {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>).file : null
  return value instanceof File && value.size > 0 ? value : null
}

export const createSubtitles = signedIn(async (deps: AppDeps, ctx: SignedInPage, mediaId: number, body: unknown) => {
  const user = ctx.user
  const media = await getMedia(deps.db, mediaId)
  // As in the API: a missing video is a 404 and someone else's a 403, before the form is read.
  await assertCanModifyMedia(deps.db, user, media)
  const back = await videoPagePath(deps, media)
  const file = fileOf(body)
  const added = file ? await attempt(() => addSubtitleTrack(deps.store, user, { mediaId, file, lang: fieldText(body, 'lang') })) : null
  if (added?.ok) return redirectTo(ctx, `${back}#video`)
  if (added && added.error.status === 403) throw added.error
  const errors = added ? { file: `error.${added.error.code}` } : { file: 'form.subtitle_file_required' }
  return renderPage(
    ctx,
    { title: ctx.t('subtitles.add'), status: added ? added.error.status : 400 },
    <section class="narrow">
      <p>
        <a href={back}>{ctx.t('subtitles.back')}</a>
      </p>
      <SubtitleForm ctx={ctx} media={toMediaJson(media)} errors={errors} />
    </section>,
  )
})
