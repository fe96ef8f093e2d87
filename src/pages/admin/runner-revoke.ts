import { revokeRunnerById } from '../../admin/runners'
import type { AppDeps } from '../../deps'
import type { PageContext } from '../context'
import { redirectTo } from '../respond'
import { adminOrRefusal } from './guard'
import { runnersPath } from './runners-page'

export async function revokeRunnerFromPage(deps: AppDeps, ctx: PageContext, id: number) {
  const guard = adminOrRefusal(ctx)
  if ('refusal' in guard) return guard.refusal
  await revokeRunnerById(deps, id)
  return redirectTo(ctx, runnersPath)
}
