// Reviews: plain text, one per user and title, newest first. The score shown with a
// review is its author's current rating, read live, so re-rating updates old reviews.
import { type SQL, and, count, desc, eq } from 'drizzle-orm'
import type { User } from '../auth/users'
import { findTitleRow } from '../catalogue/service'
import type { Db } from '../db/client'
import type { ReviewRow } from '../db/rows'
import { ratings, reviews, users } from '../db/schema'
import { badRequest, conflict, notFound } from '../http/errors'
import { type Paging, offsetOf, pageOf } from '../http/model'
import { assertCanModify } from '../http/rights'
import type { Review, ReviewInput, ReviewPatch } from './model'

function toReviewJson({ review, username, score }: { review: ReviewRow; username: string; score: number | null }): Review {
  return {
    id: review.id,
    titleId: review.titleId,
    author: { id: review.userId, username },
    body: review.body,
    spoiler: review.spoiler,
    score,
    createdAt: review.createdAt,
    updatedAt: review.updatedAt,
  }
}

function selectReviews(db: Db, where: SQL) {
  return db
    .select({ review: reviews, username: users.username, score: ratings.score })
    .from(reviews)
    .innerJoin(users, eq(users.id, reviews.userId))
    .leftJoin(ratings, and(eq(ratings.userId, reviews.userId), eq(ratings.titleId, reviews.titleId)))
    .where(where)
}

// The body is stored trimmed; one made only of spaces says nothing and is refused.
function cleanBody(body: string): string {
  const trimmed = body.trim()
  if (trimmed === '') throw badRequest('invalid_input', 'Invalid field "body": must not be blank')
  return trimmed
}

async function findReviewRow(db: Db, id: number): Promise<ReviewRow> {
  const row = await db.query.reviews.findFirst({ where: eq(reviews.id, id) })
  if (!row) throw notFound('review_not_found', `There is no review ${id}`)
  return row
}

export async function getReview(db: Db, id: number): Promise<Review> {
  const [found] = await selectReviews(db, eq(reviews.id, id))
  if (!found) throw notFound('review_not_found', `There is no review ${id}`)
  return toReviewJson(found)
}

// A user's own review of a title (one per user and title), wherever it falls in the
// newest-first list.
export async function findUserReview(db: Db, titleId: number, userId: number): Promise<Review | null> {
  const [row] = await db
    .select({ id: reviews.id })
    .from(reviews)
    .where(and(eq(reviews.titleId, titleId), eq(reviews.userId, userId)))
  return row ? getReview(db, row.id) : null
}

export async function listReviews(db: Db, titleId: number, query: Partial<Paging>) {
  await findTitleRow(db, titleId)
  const paging = pageOf(query)
  const rows = await selectReviews(db, eq(reviews.titleId, titleId))
    .orderBy(desc(reviews.createdAt), desc(reviews.id))
    .limit(paging.perPage)
    .offset(offsetOf(paging))
  const [{ total }] = await db.select({ total: count() }).from(reviews).where(eq(reviews.titleId, titleId))
  return { items: rows.map(toReviewJson), ...paging, total }
}

export async function createReview(db: Db, author: User, titleId: number, input: ReviewInput): Promise<Review> {
  await findTitleRow(db, titleId)
  const [row] = await db
    .insert(reviews)
    .values({ titleId, userId: author.id, body: cleanBody(input.body), spoiler: input.spoiler ?? false })
    .onConflictDoNothing()
    .returning({ id: reviews.id })
  if (!row) throw conflict('review_exists', 'You have already reviewed this title; edit that review instead')
  return getReview(db, row.id)
}

export async function updateReview(db: Db, actor: User, id: number, patch: ReviewPatch): Promise<Review> {
  const row = await findReviewRow(db, id)
  assertCanModify(actor, row.userId, 'this review')
  const body = patch.body === undefined ? undefined : cleanBody(patch.body)
  await db.update(reviews).set({ body, spoiler: patch.spoiler, updatedAt: new Date().toISOString() }).where(eq(reviews.id, id))
  return getReview(db, id)
}

export async function deleteReview(db: Db, actor: User, id: number): Promise<void> {
  const row = await findReviewRow(db, id)
  assertCanModify(actor, row.userId, 'this review')
  await db.delete(reviews).where(eq(reviews.id, id))
}
