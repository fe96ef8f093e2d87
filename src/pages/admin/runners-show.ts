import type { AppDeps } from '../../deps'
import type { PageContext } from '../context'
import { adminOrRefusal } from './guard'
import { renderRunnersPage } from './runners-page'

export async function showRunners(deps: AppDeps, ctx: PageContext) {
  const guard = adminOrRefusal(ctx)
  if ('refusal' in guard) return guard.refusal
  return renderRunnersPage(deps, ctx, {})
}
