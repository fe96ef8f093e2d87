import type { User } from '../../auth/users'
import type { AppDeps } from '../../deps'
import { cancelQueuedJob, retryJob } from '../../media/queue'
import { attempt } from '../attempt'
import type { PageContext } from '../context'
import { redirectTo } from '../respond'
import { adminOrRefusal } from './guard'
import { queuePath, renderQueue } from './queue-page'
import { loadQueue } from './queue-show'

// The buttons of the queue page: /admin/queue/:id/{cancel,retry}. A conflict (the job ended
// meanwhile, its file is gone) is said above the list.
export const jobChanges: Record<string, (deps: AppDeps, admin: User, jobId: number) => Promise<unknown>> = {
  cancel: (deps, _admin, jobId) => cancelQueuedJob(deps.store, jobId),
  retry: (deps, admin, jobId) => retryJob(deps.store, admin, jobId),
}

export async function updateJobFromPage(deps: AppDeps, ctx: PageContext, jobId: number, change: string) {
  const guard = adminOrRefusal(ctx)
  if ('refusal' in guard) return guard.refusal
  const changed = await attempt(() => jobChanges[change](deps, guard.admin, jobId))
  if (changed.ok) return redirectTo(ctx, queuePath)
  if (changed.error.status !== 409) throw changed.error
  return renderQueue(ctx, await loadQueue(deps, 1, { form: `error.${changed.error.code}` }), changed.error.status)
}
