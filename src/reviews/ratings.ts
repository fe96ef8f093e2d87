// Ratings: one score per user and title. The title row carries the sum and count
// (sort=rating reads them); they are recomputed from `ratings` in the same batch as
// every rating write, so they can never drift from the rows.
import { and, eq, inArray, sql } from 'drizzle-orm'
import type { User } from '../auth/users'
import { findTitleRow, forgetTitleLists, ratingSummary } from '../catalogue/service'
import type { Db } from '../db/client'
import { ratings, titles } from '../db/schema'
import type { RatingJson } from './model'

function recomputeTitleRating(db: Db, titleId: number) {
  return db
    .update(titles)
    .set({
      ratingSum: sql`(SELECT coalesce(sum(score), 0) FROM ratings WHERE title_id = ${titleId})`,
      ratingCount: sql`(SELECT count(*) FROM ratings WHERE title_id = ${titleId})`,
    })
    .where(eq(titles.id, titleId))
    .returning({ sum: titles.ratingSum, count: titles.ratingCount })
}

// The same for many titles at once, as one statement for a batch (an account deleted with
// its ratings). SQL text, not columns: drizzle leaves them unqualified in an UPDATE.
export function recomputeTitleRatings(db: Db, titleIds: number[]) {
  return db
    .update(titles)
    .set({
      ratingSum: sql`(SELECT coalesce(sum(score), 0) FROM ratings WHERE ratings.title_id = titles.id)`,
      ratingCount: sql`(SELECT count(*) FROM ratings WHERE ratings.title_id = titles.id)`,
    })
    .where(inArray(titles.id, titleIds))
}

// PUT semantics: a second rating by the same user replaces the first.
export async function rateTitle(db: Db, user: User, titleId: number, score: number): Promise<RatingJson> {
  await findTitleRow(db, titleId)
  const now = new Date().toISOString()
  const [, [total]] = await db.batch([
    db
      .insert(ratings)
      .values({ userId: user.id, titleId, score })
      .onConflictDoUpdate({ target: [ratings.userId, ratings.titleId], set: { score, updatedAt: now } }),
    recomputeTitleRating(db, titleId),
  ])
  forgetTitleLists(db, 'ratings')
  return { rating: ratingSummary(total.sum, total.count), myRating: score }
}

// Removing a rating that does not exist is not an error: the result is the same.
export async function unrateTitle(db: Db, user: User, titleId: number): Promise<RatingJson> {
  await findTitleRow(db, titleId)
  const [, [total]] = await db.batch([
    db.delete(ratings).where(and(eq(ratings.userId, user.id), eq(ratings.titleId, titleId))),
    recomputeTitleRating(db, titleId),
  ])
  forgetTitleLists(db, 'ratings')
  return { rating: ratingSummary(total.sum, total.count), myRating: null }
}
