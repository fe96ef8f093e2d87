// "My uploads": every video I uploaded and its state, processing ones with a live percent
// (web/player.js follows their event streams and swaps in a fresh #uploads when one ends),
// failed ones with the reason in my language, a retry while the file is kept, and deletion.
import type { MyMedia } from '../../media/mine'
import type { PageContext } from '../context'
import { Processing } from '../media/processing'
import { renderFragment, renderPage } from '../respond'
import { DangerZone, FormAlert, type FormErrors, PostButton } from '../ui/form'
import { formatDateTime } from '../ui/format'
import { Pagination } from '../ui/pagination'
import { TableHead } from '../ui/table'

export type UploadsView = {
  items: MyMedia[]
  total: number
  pageNumber: number
  perPage: number
  failedSourceDays: number
  errors?: FormErrors
}

export const uploadsPath = '/me/uploads'
const listId = 'uploads'

function pageHref(pageNumber: number): string {
  return pageNumber > 1 ? `${uploadsPath}?page=${pageNumber}` : uploadsPath
}

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
      return <Processing ctx={ctx} media={item} refreshUrl={pageHref(view.pageNumber)} refreshTarget={`#${listId}`} />
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
        <PostButton
          ctx={ctx}
          action={`${uploadsPath}/${item.id}/retry`}
          label={t('uploads.retry')}
          ariaLabel={t('uploads.retry_named', { name })}
          formClass="inline"
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

function UploadRow({ ctx, item, view }: { ctx: PageContext; item: MyMedia; view: UploadsView }) {
  const href = placeHref(item)
  const name = placeName(ctx, item)
  return (
    <tr data-media-id={item.id} data-status={item.status}>
      <th scope="row">{href ? <a href={href}>{name}</a> : name}</th>
      <td>
        <Status ctx={ctx} item={item} view={view} />
      </td>
      <td>{formatDateTime(item.createdAt, ctx.locale)}</td>
      <td>
        <Actions ctx={ctx} item={item} />
      </td>
    </tr>
  )
}

export function UploadsList({ ctx, view }: { ctx: PageContext; view: UploadsView }) {
  const { t } = ctx
  const columns = ['video', 'status', 'uploaded', 'actions'] as const
  return (
    <section id={listId} aria-label={t('uploads.heading')}>
      <FormAlert t={t} errors={view.errors ?? {}} />
      {view.items.length === 0 ? (
        <p>{t('uploads.none')}</p>
      ) : (
        <table class="uploads">
          <TableHead columns={columns.map(column => t(`uploads.col_${column}`))} />
          <tbody>
            {view.items.map(item => (
              <UploadRow ctx={ctx} item={item} view={view} />
            ))}
          </tbody>
        </table>
      )}
      <Pagination t={t} page={view.pageNumber} perPage={view.perPage} total={view.total} hrefFor={pageHref} />
    </section>
  )
}

export function renderUploads(ctx: PageContext, view: UploadsView, status = 200): Response {
  const list = <UploadsList ctx={ctx} view={view} />
  if (ctx.fragmentTarget === listId) return renderFragment(list, { status })
  const title = ctx.t('uploads.heading')
  return renderPage(
    ctx,
    { title, status, scripts: ['player'] },
    <>
      <h1>{title}</h1>
      {list}
    </>,
  )
}
