import type { AppDeps } from '../../deps'
import { deleteReview, getReview } from '../../reviews/service'
import { redirectTo, signedIn, type SignedInPage } from '../respond'

export const removeReview = signedIn(async (deps: AppDeps, ctx: SignedInPage, reviewId: number) => {
  const { titleId } = await getReview(deps.db, reviewId)
  await deleteReview(deps.db, ctx.user, reviewId)
  return redirectTo(ctx, `/titles/${titleId}#reviews`)
})
