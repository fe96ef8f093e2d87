// reviews/: ratings and reviews of titles, with their /api/v1 routes (this file).
import { Elysia } from 'elysia'
import { authPlugin } from '../auth/plugin'
import type { AppDeps } from '../deps'
import type { ErrorCode } from '../http/errors'
import { IdParams } from '../http/model'
import { errorResponses, noContent } from '../http/openapi'
import { RatingAnswer, RatingPut, ReviewCreate, ReviewEnvelope, ReviewList, ReviewQuery, ReviewUpdate } from './model'
import { createReview, deleteReview, getReview, listReviews, rateTitle, unrateTitle, updateReview } from './service'

const detail = (summary: string) => ({ detail: { summary, tags: ['Ratings and reviews'] } })
const deletion = (summary: string, ...codes: ErrorCode[]) =>
  noContent('Ratings and reviews', summary, 'Deleted', 'invalid_input', 'unauthorized', ...codes)

export function reviewRoutes(deps: AppDeps) {
  const { db } = deps

  return new Elysia({ prefix: '/api/v1' })
    .use(authPlugin(deps))
    .put('/titles/:id/rating', ({ user, params, body }) => rateTitle(db, user, params.id, body.score), {
      signedIn: true,
      params: IdParams,
      body: RatingPut,
      response: { 200: RatingAnswer, ...errorResponses('invalid_input', 'unauthorized', 'title_not_found') },
      ...detail('Rate a title 1–10; rating again replaces your score'),
    })
    .delete('/titles/:id/rating', ({ user, params }) => unrateTitle(db, user, params.id), {
      signedIn: true,
      params: IdParams,
      ...deletion('Withdraw your rating of a title (204 even if there was none)', 'title_not_found'),
    })
    .get('/titles/:id/reviews', ({ params, query }) => listReviews(db, params.id, query), {
      params: IdParams,
      query: ReviewQuery,
      response: { 200: ReviewList, ...errorResponses('invalid_input', 'title_not_found') },
      ...detail('Reviews of a title, newest first'),
    })
    .post(
      '/titles/:id/reviews',
      async ({ user, params, body, status }) => status(201, { review: await createReview(db, user, params.id, body) }),
      {
        signedIn: true,
        params: IdParams,
        body: ReviewCreate,
        response: { 201: ReviewEnvelope, ...errorResponses('invalid_input', 'unauthorized', 'title_not_found', 'review_exists') },
        ...detail('Review a title (one review per user and title: 409 review_exists)'),
      },
    )
    .get('/reviews/:id', async ({ params }) => ({ review: await getReview(db, params.id) }), {
      params: IdParams,
      response: { 200: ReviewEnvelope, ...errorResponses('invalid_input', 'review_not_found') },
      ...detail('One review'),
    })
    .patch('/reviews/:id', async ({ user, params, body }) => ({ review: await updateReview(db, user, params.id, body) }), {
      signedIn: true,
      params: IdParams,
      body: ReviewUpdate,
      response: { 200: ReviewEnvelope, ...errorResponses('invalid_input', 'unauthorized', 'forbidden', 'review_not_found') },
      ...detail('Change a review (author or admin)'),
    })
    .delete('/reviews/:id', ({ user, params }) => deleteReview(db, user, params.id), {
      signedIn: true,
      params: IdParams,
      ...deletion('Delete a review (author or admin)', 'forbidden', 'review_not_found'),
    })
}
