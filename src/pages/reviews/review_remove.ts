import type { AppDeps } from '../../deps'
import { deleteReview, getReview } from '../../reviews/service'
import type { PageRequest } from '../context'
import { redirectTo, redirectToSignIn } from '../respond'

export async function removeReview(deps: AppDeps, page: PageRequest, reviewId: number) {
  if (!page.user) return redirectToSignIn(page)
  const { titleId } = await getReview(deps.db, reviewId)
  await deleteReview(deps.db, page.user, reviewId)
  return redirectTo(page, `/titles/${titleId}#reviews`)
}
