// "My uploads": every video I uploaded and its state, processing ones with a live percent
// (web/player.js follows their event streams and swaps in a fresh #uploads when one ends),
// failed ones with the reason in my language, a retry while the file is kept, and deletion.
import type { ComponentChildren } from 'preact'
import type { MyMedia } from '../../media/mine'
import type { PageContext } from '../context'
import { Processing } from '../media/processing'
import { renderPageOrPart } from '../respond'
import { DangerZone, type FormErrors, RowButton } from '../ui/form'
import { formatDateTime } from '../ui/format'
import { type ListPlace, LiveTable, pageHref } from '../ui/live-list'
import type { Column } from '../ui/table'

export type UploadsView = {
  items: MyMedia[]
  total: number
  pageNumber: number
  perPage: number
  failedSourceDays: number
  errors?: FormErrors
}

export const uploadsPath = '/me/uploads'
const listPlace: ListPlace = { id: 'uploads', path: uploadsPath }

// "Film" or "Series — Season 1, episode 2: Name".
export function placeName(ctx: PageContext, item: Pick<MyMedia, 'title' | 'episode'>): string {
  const title = item.title?.name ?? ''
  if (!item.episode) return title
  const { seasonNumber: season, number, name } = item.episode
  return `${title} — ${ctx.t('uploads.episode', { season, number, name })}`
}

function placeHref(item: MyMedia): string | null {
  if (item.episode) return `/episodes/${item.episode.id}`
  return item.title ? `/titles/${item.title.id}` : null
}

function Status({ ctx, item, view }: { ctx: PageContext; item: MyMedia; view: UploadsView }) {
  const { t } = ctx
  switch (item.status) {
    case 'uploading':
      return <span>{t('uploads.status_uploading')}</span>
    case 'queued':
    case 'processing':
      return <Processing ctx={ctx} media={item} refreshUrl={pageHref(listPlace, view.pageNumber)} refreshTarget={`#${listPlace.id}`} />
    case 'ready':
      return <span>{t('uploads.status_ready')}</span>
    case 'failed':
      return (
        <div class="warning">
          <p>
            {t('uploads.status_failed')} {item.errorMessage}
          </p>
          {item.isSourceGone && <p>{t('uploads.source_gone', { days: view.failedSourceDays })}</p>}
        </div>
      )
  }
}

function Actions({ ctx, item }: { ctx: PageContext; item: MyMedia }) {
  const { t } = ctx
  const name = placeName(ctx, item)
  return (
    <div class="actions">
      {item.canRetry && (
        <RowButton
          ctx={ctx}
          action={`${uploadsPath}/${item.id}/retry`}
          label={t('uploads.retry')}
          ariaLabel={t('uploads.retry_named', { name })}
        />
      )}
      <DangerZone
        ctx={ctx}
        action={`${uploadsPath}/${item.id}/delete`}
        summary={t('uploads.delete')}
        warning={t('uploads.delete_warning', { name })}
        confirm={t('uploads.delete_confirm')}
      />
    </div>
  )
}

function placeCell(ctx: PageContext, item: MyMedia): ComponentChildren {
  const href = placeHref(item)
  const name = placeName(ctx, item)
  return href ? <a href={href}>{name}</a> : name
}

const mediaAttributes = (item: MyMedia) => ({ 'data-media-id': item.id, 'data-status': item.status })

export function UploadsList({ ctx, view }: { ctx: PageContext; view: UploadsView }) {
  const { t } = ctx
  const columns: Column<MyMedia>[] = [
    { heading: t('uploads.col_video'), cell: item => placeCell(ctx, item), isRowHeader: true },
    { heading: t('uploads.col_status'), cell: item => <Status ctx={ctx} item={item} view={view} /> },
    { heading: t('uploads.col_uploaded'), cell: item => formatDateTime(item.createdAt, ctx.locale) },
    { heading: t('uploads.col_actions'), cell: item => <Actions ctx={ctx} item={item} /> },
  ]
  const table = { class: 'uploads', columns, empty: t('uploads.none'), rowAttributes: mediaAttributes }
  return <LiveTable t={t} place={listPlace} label={t('uploads.heading')} page={view} table={table} />
}

export function renderUploads(ctx: PageContext, view: UploadsView, status = 200): Response {
  const title = ctx.t('uploads.heading')
  const list = <UploadsList ctx={ctx} view={view} />
  const body = (
    <>
      <h1>{title}</h1>
      {list}
    </>
  )
  return renderPageOrPart(ctx, { id: listPlace.id, node: list }, { title, status, scripts: ['player'] }, body)
}
