// The video of a movie or an episode, whatever state it is in: none yet, uploading,
// processing (with its percent), playable (the player; still processing is fine), failed.
// It is a fragment: web/player.js swaps in a fresh one when processing reaches a new state.
import { canModify } from '../../http/rights'
import { failureMessage, isFailureCode } from '../../transcoding/failure'
import type { MediaJson } from '../../media/json'
import type { PlayerPreferences } from '../../watch/model'
import type { PageScript } from '../assets'
import type { PageContext } from '../context'
import { type NextEpisode, Player } from './player'
import { Processing } from './processing'
import { SubtitleForm } from './subtitle-form'
import { type UploadTarget, UploadWidget } from './upload-widget'

export type VideoState = {
  target: UploadTarget
  name: string
  ownerId: number | null
  media: MediaJson | null
  positionSec: number | null
  // The signed-in viewer's remembered languages (null: anonymous, player.js uses localStorage).
  preferences: PlayerPreferences | null
  // An episode's next one, offered when it ends.
  next?: NextEpisode | null
  // The page whose #video fragment this is (GET with HX-Target: video).
  pageUrl: string
}

// The player script for a video that plays or is on its way (it also follows processing);
// the upload script for those who may upload one.
export function videoScripts(media: MediaJson | null, canManage: boolean): PageScript[] {
  if (canManage) return ['player', 'upload']
  return media && media.status !== 'failed' ? ['player'] : []
}

// The reason in the viewer's language; rows failed before reasons had codes keep their text.
function failureReason(ctx: PageContext, media: MediaJson): string {
  if (!isFailureCode(media.errorCode)) return media.error ?? ''
  return failureMessage(ctx.t, { code: media.errorCode, params: media.errorParams ?? undefined })
}

function Status({ ctx, media, state }: { ctx: PageContext; media: MediaJson | null; state: VideoState }) {
  const { t } = ctx
  if (!media) return <p>{t('media.none')}</p>
  if (media.status === 'failed')
    return (
      <p class="warning" role="alert">
        {t('media.failed')} {failureReason(ctx, media)}
      </p>
    )
  if (media.status === 'uploading') return <p>{t('media.uploading')}</p>
  const processing = <Processing ctx={ctx} media={media} refreshUrl={state.pageUrl} />
  if (!media.masterUrl) return processing
  return (
    <>
      <Player
        ctx={ctx}
        media={media}
        name={state.name}
        positionSec={state.positionSec}
        preferences={state.preferences}
        next={state.next}
      />
      {media.status !== 'ready' && processing}
    </>
  )
}

export function VideoSection({ ctx, state }: { ctx: PageContext; state: VideoState }) {
  const { t } = ctx
  const { media } = state
  const canManage = canModify(ctx.user, state.ownerId)
  const isBusy = media?.status === 'queued' || media?.status === 'processing'
  const upload = <UploadWidget ctx={ctx} target={state.target} refreshUrl={state.pageUrl} />
  return (
    <section id="video" aria-labelledby="video-heading">
      <h2 id="video-heading">{t('media.heading')}</h2>
      <Status ctx={ctx} media={media} state={state} />
      {canManage && media?.status === 'ready' && <SubtitleForm ctx={ctx} media={media} />}
      {canManage &&
        !isBusy &&
        (media?.status === 'ready' ? (
          <details>
            <summary>{t('upload.replace')}</summary>
            {upload}
          </details>
        ) : (
          upload
        ))}
    </section>
  )
}
