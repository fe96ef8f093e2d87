// The transcoding queue for admins: the disk MediaDataPath is on, then every job waiting,
// running (its live percent, as on a title page) or failed (the reason and ffmpeg's last
// lines), with a cancel or a retry button.
import type { DiskUse } from '../../media/disk-use'
import type { QueueJob } from '../../media/queue'
import { failureText } from '../../media/mine'
import type { PageContext } from '../context'
import { Processing } from '../media/processing'
import { renderPageOrPart } from '../respond'
import { type FormErrors, RowButton } from '../ui/form'
import { formatBytes, formatDateTime } from '../ui/format'
import { type ListPlace, LiveTable, pageHref } from '../ui/live-list'
import type { Column } from '../ui/table'
import { AdminNav } from './admin-nav'

export type QueueView = { items: QueueJob[]; total: number; pageNumber: number; perPage: number; disk: DiskUse; errors?: FormErrors }

export const queuePath = '/admin/queue'
const listPlace: ListPlace = { id: 'queue', path: queuePath }

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
  return <Processing ctx={ctx} media={media} refreshUrl={pageHref(listPlace, view.pageNumber)} refreshTarget={`#${listPlace.id}`} />
}

// A failed job can be tried again; a waiting or running one can be cancelled.
function JobActions({ ctx, job }: { ctx: PageContext; job: QueueJob }) {
  const isFailed = job.status === 'failed'
  const verb = isFailed ? 'retry' : 'cancel'
  const label = ctx.t(`admin.job_${verb}`)
  const ariaLabel = ctx.t(`admin.job_${verb}_numbered`, { id: job.id })
  return <RowButton ctx={ctx} action={`${queuePath}/${job.id}/${verb}`} label={label} ariaLabel={ariaLabel} danger={!isFailed} />
}

const jobAttributes = (job: QueueJob) => ({ 'data-job-id': job.id, 'data-status': job.status })

export function QueueList({ ctx, view }: { ctx: PageContext; view: QueueView }) {
  const { t, locale } = ctx
  const columns: Column<QueueJob>[] = [
    { heading: t('admin.col_job'), cell: job => job.id },
    { heading: t('admin.col_video'), cell: videoName, isRowHeader: true },
    { heading: t('admin.col_owner'), cell: job => job.owner ?? t('admin.owner_gone') },
    { heading: t('admin.col_status'), cell: job => <JobState ctx={ctx} job={job} view={view} /> },
    { heading: t('admin.col_attempts'), cell: job => job.attempts },
    { heading: t('admin.col_updated'), cell: job => formatDateTime(job.updatedAt, locale) },
    { heading: t('admin.col_actions'), cell: job => <JobActions ctx={ctx} job={job} /> },
  ]
  const table = { class: 'queue', columns, empty: t('admin.queue_empty'), rowAttributes: jobAttributes }
  return <LiveTable t={t} place={listPlace} label={t('admin.queue_heading')} page={view} table={table} />
}

// How full the media folder's disk is, and how much the folder holds when it was last measured.
function DiskUseNote({ ctx, disk }: { ctx: PageContext; disk: DiskUse }) {
  const { t, locale } = ctx
  const room = { free: formatBytes(disk.freeBytes, locale), total: formatBytes(disk.totalBytes, locale) }
  if (!disk.measured) return <p class="disk-use">{t('admin.disk_measuring', room)}</p>
  const { mediaBytes, measuredAt } = disk.measured
  return (
    <>
      <p class="disk-use" data-media-bytes={mediaBytes} data-measured-at={measuredAt}>
        {t('admin.disk', { used: formatBytes(mediaBytes, locale), ...room })}
      </p>
      <p class="disk-measured">{t('admin.disk_measured', { time: formatDateTime(measuredAt, locale) })}</p>
    </>
  )
}

export function renderQueue(ctx: PageContext, view: QueueView, status = 200): Response {
  const { t } = ctx
  const { disk } = view
  const title = t('admin.queue_heading')
  const queueList = <QueueList ctx={ctx} view={view} />
  return renderPageOrPart(
    ctx,
    { id: listPlace.id, node: queueList },
    { title, status, scripts: ['player'] },
    <section>
      <h1>{title}</h1>
      <AdminNav ctx={ctx} />
      <DiskUseNote ctx={ctx} disk={disk} />
      {queueList}
    </section>,
  )
}
