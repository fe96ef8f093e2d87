// reviews/: ratings and reviews of titles, with their /api/v1 routes (this file).
import { Elysia } from 'elysia'
import { authPlugin } from '../auth/plugin'
import type { AppDeps } from '../deps'
import { lookupById, ownerOrAdminChange, ownerOrAdminNoContent } from '../http/id-routes'
import { IdParams } from '../http/model'
import { errorResponses, noContent } from '../http/openapi'
import { RatingAnswer, RatingPut, ReviewCreate, ReviewEnvelope, ReviewList, ReviewQuery, ReviewUpdate } from './model'
import { createReview, deleteReview, getReview, listReviews, rateTitle, unrateTitle, updateReview } from './service'

const tag = 'Ratings and reviews'
const detail = (summary: string) => ({ detail: { summary, tags: [tag] } })
// What rating or reviewing a title (anyone signed in may) can meet: a bad id or body, no account, no such title.
const aboutTitleCodes = ['invalid_input', 'unauthorized', 'title_not_found'] as const

export function reviewRoutes(deps: AppDeps) {
  const { db } = deps

  return new Elysia({ prefix: '/api/v1' })
    .use(authPlugin(deps))
    .put('/titles/:id/rating', ({ user, params, body }) => rateTitle(db, user, params.id, body.score), {
      signedIn: true,
      params: IdParams,
      body: RatingPut,
      response: { 200: RatingAnswer, ...errorResponses(...aboutTitleCodes) },
      ...detail('Rate a title 1–10; rating again replaces your score'),
    })
    .delete('/titles/:id/rating', ({ user, params }) => unrateTitle(db, user, params.id), {
      signedIn: true,
      params: IdParams,
      ...noContent(tag, 'Withdraw your rating of a title (204 even if there was none)', 'Deleted', ...aboutTitleCodes),
    })
    .get('/titles/:id/reviews', ({ params, query }) => listReviews(db, params.id, query), {
      ...lookupById({ 200: ReviewList }, 'title_not_found'),
      query: ReviewQuery,
      ...detail('Reviews of a title, newest first'),
    })
    .post(
      '/titles/:id/reviews',
      async ({ user, params, body, status }) => status(201, { review: await createReview(db, user, params.id, body) }),
      {
        signedIn: true,
        params: IdParams,
        body: ReviewCreate,
        response: { 201: ReviewEnvelope, ...errorResponses(...aboutTitleCodes, 'review_exists') },
        ...detail('Review a title (one review per user and title: 409 review_exists)'),
      },
    )
    .get('/reviews/:id', async ({ params }) => ({ review: await getReview(db, params.id) }), {
      ...lookupById({ 200: ReviewEnvelope }, 'review_not_found'),
      ...detail('One review'),
    })
    .patch('/reviews/:id', async ({ user, params, body }) => ({ review: await updateReview(db, user, params.id, body) }), {
      ...ownerOrAdminChange({ 200: ReviewEnvelope }, 'review_not_found'),
      body: ReviewUpdate,
      ...detail('Change a review (author or admin)'),
    })
    .delete('/reviews/:id', ({ user, params }) => deleteReview(db, user, params.id), {
      ...ownerOrAdminNoContent(tag, 'Delete a review (author or admin)', 'Deleted', 'review_not_found'),
    })
}
