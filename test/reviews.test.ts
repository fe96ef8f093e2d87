// Contract tests of ratings and reviews (shared/api.md, Ratings and reviews).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { addTitle, countRows, expectError } from './helpers/catalogue'
import { Client, signUp } from './helpers/client'
import { startServer, type TestServer } from './helpers/server'

let server: TestServer
let admin: Client & { userId: number }
let owner: Client & { userId: number }
let author: Client & { userId: number }
let other: Client & { userId: number }
let anonymous: Client

beforeAll(async () => {
  server = await startServer({ admins: '1\n' })
  admin = await signUp(server.url) // user 1, listed in admins.txt
  owner = await signUp(server.url)
  author = await signUp(server.url, `Автор${Date.now().toString(36)}`)
  other = await signUp(server.url)
  anonymous = new Client(server.url)
})
afterAll(() => server.stop())

const titleOf = (name: string) => addTitle(owner, { name })

describe('ratings', () => {
  test('PUT rates, PUT again replaces, and the title shows the average and my score', async () => {
    const title = await titleOf('Оцениваемый')
    const first = await author.put(`/api/v1/titles/${title.id}/rating`, { score: 7 })
    expect(first.status).toBe(200)
    expect(first.body).toEqual({ rating: { average: 7, count: 1 }, myRating: 7 })
    expect((await author.put(`/api/v1/titles/${title.id}/rating`, { score: 4 })).body).toEqual({
      rating: { average: 4, count: 1 },
      myRating: 4,
    })
    expect((await other.put(`/api/v1/titles/${title.id}/rating`, { score: 9 })).body).toEqual({
      rating: { average: 6.5, count: 2 },
      myRating: 9,
    })
    expect((await author.get(`/api/v1/titles/${title.id}`)).body.title).toMatchObject({
      rating: { average: 6.5, count: 2 },
      myRating: 4,
    })
    expect((await anonymous.get(`/api/v1/titles/${title.id}`)).body.title).toMatchObject({ myRating: null })
    expect(await countRows(server, 'SELECT count(*) FROM ratings WHERE title_id = ?', [title.id])).toBe(2)
  })

  test('the average has one decimal', async () => {
    const title = await titleOf('Треть')
    await author.put(`/api/v1/titles/${title.id}/rating`, { score: 10 })
    await other.put(`/api/v1/titles/${title.id}/rating`, { score: 10 })
    const third = await admin.put(`/api/v1/titles/${title.id}/rating`, { score: 9 })
    expect(third.body.rating).toEqual({ average: 9.7, count: 3 })
  })

  test('DELETE withdraws my rating only, and is 204 even when there was none', async () => {
    const title = await titleOf('Отзываемая оценка')
    await author.put(`/api/v1/titles/${title.id}/rating`, { score: 2 })
    await other.put(`/api/v1/titles/${title.id}/rating`, { score: 8 })
    expect((await author.delete(`/api/v1/titles/${title.id}/rating`)).status).toBe(204)
    expect((await author.delete(`/api/v1/titles/${title.id}/rating`)).status).toBe(204)
    expect((await author.get(`/api/v1/titles/${title.id}`)).body.title).toMatchObject({
      rating: { average: 8, count: 1 },
      myRating: null,
    })
    await other.delete(`/api/v1/titles/${title.id}/rating`)
    expect((await other.get(`/api/v1/titles/${title.id}`)).body.title.rating).toEqual({ average: null, count: 0 })
  })

  test('keeps the counters on the title row equal to the ratings', async () => {
    const title = await titleOf('Счётчики')
    await Promise.all([author, other, admin].map((c, i) => c.put(`/api/v1/titles/${title.id}/rating`, { score: 3 + i })))
    await other.delete(`/api/v1/titles/${title.id}/rating`)
    const counters = await countRows(
      server,
      `SELECT t.rating_sum = (SELECT sum(score) FROM ratings WHERE title_id = t.id)
          AND t.rating_count = (SELECT count(*) FROM ratings WHERE title_id = t.id) FROM titles t WHERE t.id = ?`,
      [title.id],
    )
    expect(counters).toBe(1)
  })

  const invalidScores: unknown[] = [0, 11, 7.5, '7', null, -1]
  for (const score of invalidScores)
    test(`refuses the score ${JSON.stringify(score)} with 400 naming "score"`, async () => {
      const title = await titleOf('Плохая оценка')
      expectError(await author.put(`/api/v1/titles/${title.id}/rating`, { score }), 400, 'invalid_input', 'score')
    })

  test('rating needs an account and an existing title', async () => {
    const title = await titleOf('Аноним оценивает')
    expectError(await anonymous.put(`/api/v1/titles/${title.id}/rating`, { score: 5 }), 401, 'unauthorized')
    expectError(await anonymous.delete(`/api/v1/titles/${title.id}/rating`), 401, 'unauthorized')
    expectError(await author.put('/api/v1/titles/999999/rating', { score: 5 }), 404, 'title_not_found')
    expectError(await author.delete('/api/v1/titles/999999/rating'), 404, 'title_not_found')
    expectError(await author.put('/api/v1/titles/abc/rating', { score: 5 }), 400, 'invalid_input', 'id')
  })
})

describe('reviews', () => {
  test('POST creates a review with every contract field; the list shows it', async () => {
    const title = await titleOf('Рецензируемый')
    await author.put(`/api/v1/titles/${title.id}/rating`, { score: 9 })
    const created = await author.post(`/api/v1/titles/${title.id}/reviews`, { body: 'Отличное кино, смотреть всем!' })
    expect(created.status).toBe(201)
    const me = (await author.get('/api/v1/me')).body.user
    expect(created.body.review).toEqual({
      id: expect.any(Number),
      titleId: title.id,
      author: { id: me.id, username: me.username },
      body: 'Отличное кино, смотреть всем!',
      spoiler: false,
      score: 9,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    })
    const listed = await anonymous.get(`/api/v1/titles/${title.id}/reviews`)
    expect(listed.status).toBe(200)
    expect(listed.body).toEqual({ items: [created.body.review], page: 1, perPage: 20, total: 1 })
    expect((await anonymous.get(`/api/v1/reviews/${created.body.review.id}`)).body.review).toEqual(created.body.review)
  })

  test("score is the author's current rating, or null when they have none", async () => {
    const title = await titleOf('Оценка в рецензии')
    const review = (await author.post(`/api/v1/titles/${title.id}/reviews`, { body: 'Без оценки' })).body.review
    expect(review.score).toBeNull()
    await author.put(`/api/v1/titles/${title.id}/rating`, { score: 3 })
    await other.put(`/api/v1/titles/${title.id}/rating`, { score: 10 })
    expect((await anonymous.get(`/api/v1/reviews/${review.id}`)).body.review.score).toBe(3)
    await author.delete(`/api/v1/titles/${title.id}/rating`)
    expect((await anonymous.get(`/api/v1/titles/${title.id}/reviews`)).body.items[0].score).toBeNull()
  })

  test('one review per user and title: a second is 409 review_exists', async () => {
    const title = await titleOf('Одна рецензия')
    await author.post(`/api/v1/titles/${title.id}/reviews`, { body: 'Первая' })
    expectError(await author.post(`/api/v1/titles/${title.id}/reviews`, { body: 'Вторая' }), 409, 'review_exists')
    expect((await other.post(`/api/v1/titles/${title.id}/reviews`, { body: 'Чужая' })).status).toBe(201)
    const another = await titleOf('Другой фильм')
    expect((await author.post(`/api/v1/titles/${another.id}/reviews`, { body: 'Можно' })).status).toBe(201)
  })

  test('lists reviews newest first, in pages', async () => {
    const title = await titleOf('Много рецензий')
    const writers = [author, other, admin, owner]
    for (const [i, writer] of writers.entries()) await writer.post(`/api/v1/titles/${title.id}/reviews`, { body: `Рецензия ${i}` })
    const first = (await anonymous.get(`/api/v1/titles/${title.id}/reviews?perPage=3`)).body
    expect(first).toMatchObject({ page: 1, perPage: 3, total: 4 })
    expect(first.items.map((r: { body: string }) => r.body)).toEqual(['Рецензия 3', 'Рецензия 2', 'Рецензия 1'])
    const second = (await anonymous.get(`/api/v1/titles/${title.id}/reviews?perPage=3&page=2`)).body
    expect(second.items.map((r: { body: string }) => r.body)).toEqual(['Рецензия 0'])
    expect((await anonymous.get(`/api/v1/titles/${title.id}/reviews?page=9`)).body).toEqual({
      items: [],
      page: 9,
      perPage: 20,
      total: 4,
    })
    expectError(await anonymous.get(`/api/v1/titles/${title.id}/reviews?perPage=101`), 400, 'invalid_input', 'perPage')
    expectError(await anonymous.get(`/api/v1/titles/${title.id}/reviews?perPage=0`), 400, 'invalid_input', 'perPage')
  })

  test('spoiler flag is stored and can be changed', async () => {
    const title = await titleOf('Спойлеры')
    const review = (await author.post(`/api/v1/titles/${title.id}/reviews`, { body: 'Он умрёт в конце', spoiler: true })).body.review
    expect(review.spoiler).toBe(true)
    const patched = await author.patch(`/api/v1/reviews/${review.id}`, { spoiler: false })
    expect(patched.body.review).toMatchObject({ spoiler: false, body: 'Он умрёт в конце' })
  })

  test('PATCH changes the body only when sent, and moves updatedAt', async () => {
    const title = await titleOf('Правка рецензии')
    const review = (await author.post(`/api/v1/titles/${title.id}/reviews`, { body: 'Черновик', spoiler: true })).body.review
    await Bun.sleep(5)
    const patched = await author.patch(`/api/v1/reviews/${review.id}`, { body: '  Итоговый текст  ' })
    expect(patched.status).toBe(200)
    expect(patched.body.review).toMatchObject({
      id: review.id,
      body: 'Итоговый текст',
      spoiler: true,
      createdAt: review.createdAt,
    })
    expect(patched.body.review.updatedAt > review.updatedAt).toBe(true)
  })

  test('stores XSS payloads and Cyrillic verbatim and returns them as JSON text', async () => {
    const title = await titleOf('XSS')
    const body = '<script>alert(1)</script> "><img src=x onerror=alert(1)> — ёжик & «кавычки»'
    const review = (await author.post(`/api/v1/titles/${title.id}/reviews`, { body })).body.review
    const read = await anonymous.get(`/api/v1/reviews/${review.id}`)
    expect(read.headers.get('content-type')).toContain('application/json')
    expect(read.body.review.body).toBe(body)
    expect(read.text).toContain('<script>alert(1)</script>')
  })

  const invalidBodies: [string, unknown][] = [
    ['an empty body', { body: '' }],
    ['a blank body', { body: ' \n\t ' }],
    ['no body', {}],
    ['a number for a body', { body: 42 }],
    ['a body over 10,000 characters', { body: 'я'.repeat(10_001) }],
  ]
  for (const [what, payload] of invalidBodies)
    test(`refuses ${what} with 400 naming "body"`, async () => {
      const title = await titleOf('Плохая рецензия')
      expectError(await author.post(`/api/v1/titles/${title.id}/reviews`, payload), 400, 'invalid_input', 'body')
    })

  test('accepts a body of exactly 10,000 characters', async () => {
    const title = await titleOf('Длинная рецензия')
    expect((await author.post(`/api/v1/titles/${title.id}/reviews`, { body: 'я'.repeat(10_000) })).status).toBe(201)
  })

  test('refuses a non-boolean spoiler and a blank body on PATCH, naming the field', async () => {
    const title = await titleOf('Плохая правка')
    const review = (await author.post(`/api/v1/titles/${title.id}/reviews`, { body: 'Текст' })).body.review
    expectError(await author.post(`/api/v1/titles/${title.id}/reviews`, { body: 'x', spoiler: 'yes' }), 400, 'invalid_input', 'spoiler')
    expectError(await author.patch(`/api/v1/reviews/${review.id}`, { body: '   ' }), 400, 'invalid_input', 'body')
    expectError(await author.patch(`/api/v1/reviews/${review.id}`, { spoiler: 1 }), 400, 'invalid_input', 'spoiler')
  })

  test('malformed JSON is a 400, never a 500', async () => {
    const title = await titleOf('Сломанный JSON')
    const answer = await author.post(`/api/v1/titles/${title.id}/reviews`, '{"body": "x"', {
      headers: { 'content-type': 'application/json' },
    })
    expectError(answer, 400, 'invalid_json')
  })

  test('reviews of a missing title, and missing reviews, are 404', async () => {
    expectError(await anonymous.get('/api/v1/titles/999999/reviews'), 404, 'title_not_found')
    expectError(await author.post('/api/v1/titles/999999/reviews', { body: 'x' }), 404, 'title_not_found')
    expectError(await anonymous.get('/api/v1/reviews/999999'), 404, 'review_not_found')
    expectError(await author.patch('/api/v1/reviews/999999', { body: 'x' }), 404, 'review_not_found')
    expectError(await author.delete('/api/v1/reviews/999999'), 404, 'review_not_found')
  })

  test('non-integer, negative, zero and huge ids are 400 or 404, never 500', async () => {
    const routes = [
      ['PUT', '/api/v1/titles/:id/rating'],
      ['DELETE', '/api/v1/titles/:id/rating'],
      ['GET', '/api/v1/titles/:id/reviews'],
      ['POST', '/api/v1/titles/:id/reviews'],
      ['GET', '/api/v1/reviews/:id'],
      ['PATCH', '/api/v1/reviews/:id'],
      ['DELETE', '/api/v1/reviews/:id'],
    ]
    for (const [method, route] of routes)
      for (const id of ['abc', '-1', '0', '1.5', '99999999999999999999']) {
        const body = method === 'GET' || method === 'DELETE' ? undefined : { body: 'x', score: 5 }
        const answer = await author.request(method, route.replace(':id', id), { body })
        expect({ route: `${method} ${route} ${id}`, status: [400, 404].includes(answer.status) }).toEqual({
          route: `${method} ${route} ${id}`,
          status: true,
        })
      }
  })
})

describe('review rights', () => {
  type Actor = 'author' | 'owner' | 'other' | 'admin' | 'anonymous'
  const clientOf = (actor: Actor) => ({ author, owner, other, admin, anonymous })[actor]

  async function freshReview() {
    const title = await titleOf('Права рецензий')
    return (await author.post(`/api/v1/titles/${title.id}/reviews`, { body: 'Моё мнение' })).body.review
  }

  test('PATCH: the author and an admin may; the title owner and others get 403; anonymous 401', async () => {
    const statuses: Record<string, number> = {}
    for (const actor of ['author', 'owner', 'other', 'admin', 'anonymous'] as Actor[]) {
      const review = await freshReview()
      statuses[actor] = (await clientOf(actor).patch(`/api/v1/reviews/${review.id}`, { body: 'Правка' })).status
    }
    expect(statuses).toEqual({ author: 200, owner: 403, other: 403, admin: 200, anonymous: 401 })
  })

  test('DELETE: the author and an admin may; the title owner and others get 403; anonymous 401', async () => {
    const statuses: Record<string, number> = {}
    for (const actor of ['author', 'owner', 'other', 'admin', 'anonymous'] as Actor[]) {
      const review = await freshReview()
      statuses[actor] = (await clientOf(actor).delete(`/api/v1/reviews/${review.id}`)).status
    }
    expect(statuses).toEqual({ author: 204, owner: 403, other: 403, admin: 204, anonymous: 401 })
  })

  test('a deleted review is gone and its author may write a new one', async () => {
    const review = await freshReview()
    expect((await author.delete(`/api/v1/reviews/${review.id}`)).status).toBe(204)
    expectError(await anonymous.get(`/api/v1/reviews/${review.id}`), 404, 'review_not_found')
    expect((await author.post(`/api/v1/titles/${review.titleId}/reviews`, { body: 'Заново' })).status).toBe(201)
  })

  test('a refused edit leaves the review as it was', async () => {
    const review = await freshReview()
    expectError(await other.patch(`/api/v1/reviews/${review.id}`, { body: 'Подмена' }), 403, 'forbidden')
    expectError(await anonymous.post(`/api/v1/titles/${review.titleId}/reviews`, { body: 'Аноним' }), 401, 'unauthorized')
    expect((await anonymous.get(`/api/v1/reviews/${review.id}`)).body.review.body).toBe('Моё мнение')
  })
})
