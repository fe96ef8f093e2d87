// Everything the title page shows, from the catalogue, reviews and watch services.
import { pageNumberOf } from '../ids'
import { getTitle } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { findUserReview, listReviews } from '../../reviews/service'
import { getPlayerPreferences } from '../../watch/preferences'
import { findWatchPosition } from '../../watch/service'
import type { PageContext } from '../context'
import type { TitleView } from './title-page'

export const reviewsPerPage = 10

export async function loadTitleView(deps: AppDeps, ctx: PageContext, id: number): Promise<TitleView> {
  const viewerId = ctx.user?.id ?? null
  const reviewsPage = pageNumberOf(ctx.url.searchParams.get('reviews'))
  const title = await getTitle(deps.db, id, viewerId)
  const [reviews, myReview, position, preferences] = await Promise.all([
    listReviews(deps.db, id, { page: reviewsPage, perPage: reviewsPerPage }),
    viewerId === null ? null : findUserReview(deps.db, id, viewerId),
    viewerId === null || !title.media ? null : findWatchPosition(deps.db, viewerId, title.media.id),
    viewerId === null || !title.media ? null : getPlayerPreferences(deps.db, viewerId),
  ])
  return {
    title,
    reviews: { titleId: id, ...reviews, myReview },
    positionSec: position?.positionSec ?? null,
    preferences,
  }
}
