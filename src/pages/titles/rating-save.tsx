import type { AppDeps } from '../../deps'
import { scoreRule } from '../../reviews/rules'
import { rateTitle, unrateTitle } from '../../reviews/service'
import type { PageRequest } from '../context'
import { redirectTo, renderFragment, signedIn, type SignedInPage } from '../respond'
import { fieldText } from '../ui/form'
import { isIntegerIn } from '../ui/numbers'
import { RatingWidget } from './rating-widget'

function scoreOf(body: unknown): number | null {
  const text = fieldText(body, 'score')
  return isIntegerIn(text, scoreRule) ? Number(text) : null
}

// htmx swaps the widget; without JavaScript the browser goes back to the title.
function answer(page: PageRequest, titleId: number, result: Awaited<ReturnType<typeof rateTitle>>) {
  if (page.wantsFragment) return renderFragment(<RatingWidget page={page} state={{ titleId, ...result }} />)
  return redirectTo(page, `/titles/${titleId}#rating`)
}

export const saveRating = signedIn(async (deps: AppDeps, page: SignedInPage, titleId: number, body: unknown) => {
  const score = scoreOf(body)
  // No score picked: nothing to save; the widget is shown again as it was.
  if (score === null) return redirectTo(page, `/titles/${titleId}#rating`)
  return answer(page, titleId, await rateTitle(deps.db, page.user, titleId, score))
})

export const removeRating = signedIn(async (deps: AppDeps, page: SignedInPage, titleId: number) => {
  return answer(page, titleId, await unrateTitle(deps.db, page.user, titleId))
})
