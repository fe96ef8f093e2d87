// The transcoding queue for admins: the disk MediaDataPath is on, then every job waiting,
// running (its live percent, as on a title page) or failed (the reason and ffmpeg's last
// lines), with a cancel or a retry button.
import type { DiskUse } from '../../media/disk-use'
import type { QueueJob } from '../../media/queue'
import { failureText } from '../../media/mine'
import type { PageContext } from '../context'
import { Processing } from '../media/processing'
import { renderFragment, renderPage } from '../respond'
import { FormAlert, type FormErrors, RowButton } from '../ui/form'
import { formatBytes, formatDateTime } from '../ui/format'
import { Pagination } from '../ui/pagination'
import { TableHead } from '../ui/table'
import { AdminNav } from './admin-nav'

export type QueueView = { items: QueueJob[]; total: number; pageNumber: number; perPage: number; disk: DiskUse; errors?: FormErrors }

export const queuePath = '/admin/queue'
const listId = 'queue'
const pageHref = (pageNumber: number) => (pageNumber > 1 ? `${queuePath}?page=${pageNumber}` : queuePath)

function videoName(job: QueueJob): string {
  return [job.titleName, job.episodeName].filter(Boolean).join(' — ') || `#${job.mediaId}`
}

function JobState({ ctx, job, view }: { ctx: PageContext; job: QueueJob; view: QueueView }) {
  const { t } = ctx
  if (job.status === 'failed')
    return (
      <div class="warning">
        <p>
          {t('admin.job_failed')} {failureText(t, job)}
        </p>
        {job.stderrTail && (
          <details>
            <summary>{t('admin.stderr')}</summary>
            <pre>{job.stderrTail}</pre>
          </details>
        )}
      </div>
    )
  const media = {
    id: job.mediaId,
    status: job.status === 'running' ? ('processing' as const) : ('queued' as const),
    progress: job.progress,
  }
  return <Processing ctx={ctx} media={media} refreshUrl={pageHref(view.pageNumber)} refreshTarget={`#${listId}`} />
}

// A failed job can be tried again; a waiting or running one can be cancelled.
function JobActions({ ctx, job }: { ctx: PageContext; job: QueueJob }) {
  const isFailed = job.status === 'failed'
  const verb = isFailed ? 'retry' : 'cancel'
  const label = ctx.t(`admin.job_${verb}`)
  const ariaLabel = ctx.t(`admin.job_${verb}_numbered`, { id: job.id })
  return <RowButton ctx={ctx} action={`${queuePath}/${job.id}/${verb}`} label={label} ariaLabel={ariaLabel} danger={!isFailed} />
}

const columns = ['job', 'video', 'owner', 'status', 'attempts', 'updated', 'actions'] as const

export function QueueList({ ctx, view }: { ctx: PageContext; view: QueueView }) {
  const { t, locale } = ctx
  return (
    <section id={listId} aria-label={t('admin.queue_heading')}>
      <FormAlert t={t} errors={view.errors ?? {}} />
      {view.items.length === 0 ? (
        <p>{t('admin.queue_empty')}</p>
      ) : (
        <table class="queue">
          <TableHead columns={columns.map(column => t(`admin.col_${column}`))} />
          <tbody>
            {view.items.map(job => (
              <tr data-job-id={job.id} data-status={job.status}>
                <td>{job.id}</td>
                <th scope="row">{videoName(job)}</th>
                <td>{job.owner ?? t('admin.owner_gone')}</td>
                <td>
                  <JobState ctx={ctx} job={job} view={view} />
                </td>
                <td>{job.attempts}</td>
                <td>{formatDateTime(job.updatedAt, locale)}</td>
                <td>
                  <JobActions ctx={ctx} job={job} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pagination t={t} page={view.pageNumber} perPage={view.perPage} total={view.total} hrefFor={pageHref} />
    </section>
  )
}

export function renderQueue(ctx: PageContext, view: QueueView, status = 200): Response {
  const list = <QueueList ctx={ctx} view={view} />
  if (ctx.fragmentTarget === listId) return renderFragment(list, { status })
  const { t, locale } = ctx
  const { disk } = view
  const title = t('admin.queue_heading')
  const used = formatBytes(disk.mediaBytes, locale)
  return renderPage(
    ctx,
    { title, status, scripts: ['player'] },
    <section>
      <h1>{title}</h1>
      <AdminNav ctx={ctx} />
      <p class="disk-use" data-media-bytes={disk.mediaBytes} data-measured-at={disk.measuredAt}>
        {t('admin.disk', { used, free: formatBytes(disk.freeBytes, locale), total: formatBytes(disk.totalBytes, locale) })}
      </p>
      <p class="disk-measured">{t('admin.disk_measured', { time: formatDateTime(disk.measuredAt, locale) })}</p>
      {list}
    </section>,
  )
}
