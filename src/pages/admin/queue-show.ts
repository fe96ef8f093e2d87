import type { AppDeps } from '../../deps'
import { diskUseOf } from '../../media/disk-use'
import { listQueue } from '../../media/queue'
import type { PageContext } from '../context'
import { pageNumberOf } from '../ids'
import type { FormErrors } from '../ui/form'
import { adminOrRefusal } from './guard'
import { renderQueue } from './queue-page'

const perPage = 50

export async function loadQueue(deps: AppDeps, pageNumber: number, errors?: FormErrors) {
  const [list, disk] = await Promise.all([listQueue(deps.store, { page: pageNumber, perPage }), diskUseOf(deps.store)])
  return { ...list, disk, pageNumber, perPage, errors }
}

export async function showQueue(deps: AppDeps, ctx: PageContext) {
  const guard = adminOrRefusal(ctx)
  if ('refusal' in guard) return guard.refusal
  return renderQueue(ctx, await loadQueue(deps, pageNumberOf(ctx.url.searchParams.get('page'))))
}
