// The viewer's own review of a title (one per user and title), wherever it falls in the
// newest-first list; the reviews service has no lookup by author.
import { and, eq } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { reviews } from '../../db/schema'
import type { Review } from '../../reviews/model'
import { getReview } from '../../reviews/service'

export async function findMyReview(db: Db, titleId: number, userId: number): Promise<Review | null> {
  const [row] = await db
    .select({ id: reviews.id })
    .from(reviews)
    .where(and(eq(reviews.titleId, titleId), eq(reviews.userId, userId)))
  return row ? getReview(db, row.id) : null
}
