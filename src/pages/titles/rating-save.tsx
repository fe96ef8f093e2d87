import type { AppDeps } from '../../deps'
import { scoreRule } from '../../reviews/rules'
import { rateTitle, unrateTitle } from '../../reviews/service'
import type { PageContext } from '../context'
import { redirectTo, renderFragment, signedIn, type SignedInPage } from '../respond'
import { fieldText } from '../ui/form'
import { isIntegerIn } from '../ui/numbers'
import { RatingWidget } from './rating-widget'

function scoreOf(body: unknown): number | null {
  const text = fieldText(body, 'score')
  return isIntegerIn(text, scoreRule) ? Number(text) : null
}

// htmx swaps the widget; without JavaScript the browser goes back to the title.
function answer(ctx: PageContext, titleId: number, result: Awaited<ReturnType<typeof rateTitle>>) {
  if (ctx.wantsFragment) return renderFragment(<RatingWidget ctx={ctx} state={{ titleId, ...result }} />)
  return redirectTo(ctx, `/titles/${titleId}#rating`)
}

export const saveRating = signedIn(async (deps: AppDeps, ctx: SignedInPage, titleId: number, body: unknown) => {
  const score = scoreOf(body)
  // No score picked: nothing to save; the widget is shown again as it was.
  if (score === null) return redirectTo(ctx, `/titles/${titleId}#rating`)
  return answer(ctx, titleId, await rateTitle(deps.db, ctx.user, titleId, score))
})

export const removeRating = signedIn(async (deps: AppDeps, ctx: SignedInPage, titleId: number) => {
  return answer(ctx, titleId, await unrateTitle(deps.db, ctx.user, titleId))
})
