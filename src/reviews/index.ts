// reviews/: ratings and reviews of titles, with their /api/v1 routes (this file).
import { Elysia } from 'elysia'
import { authPlugin } from '../auth/plugin'
import { deletionDetail, failures } from '../catalogue/model'
import type { AppDeps } from '../deps'
import { IdParams } from '../http/model'
import { RatingAnswer, RatingPut, ReviewCreate, ReviewEnvelope, ReviewList, ReviewQuery, ReviewUpdate } from './model'
import { createReview, deleteReview, getReview, listReviews, rateTitle, unrateTitle, updateReview } from './service'

const detail = (summary: string) => ({ detail: { summary, tags: ['Ratings and reviews'] } })
const deletion = (summary: string) => deletionDetail(summary, 'Ratings and reviews')

export function reviewRoutes(deps: AppDeps) {
  const { db } = deps

  return new Elysia({ prefix: '/api/v1' })
    .use(authPlugin(deps))
    .put('/titles/:id/rating', ({ user, params, body }) => rateTitle(db, user, params.id, body.score), {
      signedIn: true,
      params: IdParams,
      body: RatingPut,
      response: { 200: RatingAnswer, ...failures(400, 401, 404) },
      ...detail('Rate a title 1–10; rating again replaces your score'),
    })
    .delete(
      '/titles/:id/rating',
      async ({ user, params, set }) => {
        await unrateTitle(db, user, params.id)
        set.status = 204
      },
      { signedIn: true, params: IdParams, ...deletion('Withdraw your rating of a title (204 even if there was none)') },
    )
    .get('/titles/:id/reviews', ({ params, query }) => listReviews(db, params.id, query), {
      params: IdParams,
      query: ReviewQuery,
      response: { 200: ReviewList, ...failures(400, 404) },
      ...detail('Reviews of a title, newest first'),
    })
    .post(
      '/titles/:id/reviews',
      async ({ user, params, body, set }) => {
        set.status = 201
        return { review: await createReview(db, user, params.id, body) }
      },
      {
        signedIn: true,
        params: IdParams,
        body: ReviewCreate,
        response: { 201: ReviewEnvelope, ...failures(400, 401, 404, 409) },
        ...detail('Review a title (one review per user and title: 409 review_exists)'),
      },
    )
    .get('/reviews/:id', async ({ params }) => ({ review: await getReview(db, params.id) }), {
      params: IdParams,
      response: { 200: ReviewEnvelope, ...failures(400, 404) },
      ...detail('One review'),
    })
    .patch('/reviews/:id', async ({ user, params, body }) => ({ review: await updateReview(db, user, params.id, body) }), {
      signedIn: true,
      params: IdParams,
      body: ReviewUpdate,
      response: { 200: ReviewEnvelope, ...failures(400, 401, 403, 404) },
      ...detail('Change a review (author or admin)'),
    })
    .delete(
      '/reviews/:id',
      async ({ user, params, set }) => {
        await deleteReview(db, user, params.id)
        set.status = 204
      },
      { signedIn: true, params: IdParams, ...deletion('Delete a review (author or admin)') },
    )
}
