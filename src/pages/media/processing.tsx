// A video being processed: its percent, kept current by web/player.js from the server's
// event stream; without JavaScript the page shows the percent of when it was loaded.
import type { MediaJson } from '../../media/json'
import type { PageContext } from '../context'

// `refreshTarget`: the element swapped for a fresh one once processing ends (default #video,
// where the player also comes in as soon as the video can be watched).
export function Processing(props: {
  ctx: PageContext
  media: Pick<MediaJson, 'id' | 'status' | 'progress'>
  refreshUrl: string
  refreshTarget?: string
}) {
  const { ctx, media, refreshUrl, refreshTarget } = props
  const { t } = ctx
  const percent = Math.round(media.progress * 100)
  return (
    <div
      class="processing"
      data-processing
      data-events-url={`/api/v1/media/${media.id}/events`}
      data-media-url={`/api/v1/media/${media.id}`}
      data-refresh-url={refreshUrl}
      data-refresh-target={refreshTarget}
      data-text-queued={t('media.queued')}
      data-text-processing={t('media.processing')}
      data-text-ready={t('media.ready')}
      data-text-failed={t('media.failed')}
    >
      <p role="status">
        <span data-status-text>{media.status === 'queued' ? t('media.queued') : t('media.processing')}</span>{' '}
        <span data-percent>{percent}%</span>
      </p>
      <progress max={100} value={percent} aria-label={t('media.progress_label')}>
        {percent}%
      </progress>
    </div>
  )
}
