// Everything the title page shows, from the catalogue, reviews and watch services.
import { getTitle } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { findUserReview, listReviews } from '../../reviews/service'
import { findWatchPosition } from '../../watch/service'
import type { PageContext } from '../context'
import type { TitleView } from './title-page'

export const reviewsPerPage = 10

function reviewsPageOf(url: URL): number {
  const n = Number(url.searchParams.get('reviews'))
  return Number.isSafeInteger(n) && n >= 1 && n <= 100_000 ? n : 1
}

export async function loadTitleView(deps: AppDeps, ctx: PageContext, id: number): Promise<TitleView> {
  const viewerId = ctx.user?.id ?? null
  const reviewsPage = reviewsPageOf(ctx.url)
  const title = await getTitle(deps.db, id, viewerId)
  const [reviews, myReview, position] = await Promise.all([
    listReviews(deps.db, id, { page: reviewsPage, perPage: reviewsPerPage }),
    viewerId === null ? null : findUserReview(deps.db, id, viewerId),
    viewerId === null || !title.media ? null : findWatchPosition(deps.db, viewerId, title.media.id),
  ])
  return {
    title,
    reviews: { titleId: id, ...reviews, myReview },
    positionSec: position?.positionSec ?? null,
  }
}
