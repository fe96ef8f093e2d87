// Contract tests of the catalogue: titles, seasons, episodes (shared/api.md, Catalogue).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync } from 'node:fs'
import { addEpisode, addMedia, addSeason, addTitle, countRows, expectError } from './helpers/catalogue'
import { Client, signUp } from './helpers/client'
import { startServer, type TestServer } from './helpers/server'

let server: TestServer
let admin: Client & { userId: number }
let owner: Client & { userId: number }
let other: Client & { userId: number }
let anonymous: Client

beforeAll(async () => {
  server = await startServer({ admins: '1\n' })
  admin = await signUp(server.url) // user 1, listed in admins.txt
  owner = await signUp(server.url)
  other = await signUp(server.url)
  anonymous = new Client(server.url)
})
afterAll(() => server.stop())

describe('titles', () => {
  test('creates a movie and reads it back with every contract field', async () => {
    const created = await owner.post('/api/v1/titles', {
      kind: 'movie',
      name: 'Брат',
      originalName: 'Brother',
      year: 1997,
      description: 'Данила Багров приезжает в Петербург.',
      genres: ['Драма', 'Криминал'],
    })
    expect(created.status).toBe(201)
    expect(created.headers.get('content-type')).toMatch(/^application\/json; ?charset=utf-8$/i)
    const title = created.body.title
    expect(title).toEqual({
      id: expect.any(Number),
      kind: 'movie',
      name: 'Брат',
      originalName: 'Brother',
      year: 1997,
      description: 'Данила Багров приезжает в Петербург.',
      genres: ['Драма', 'Криминал'],
      ownerId: owner.userId,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
      updatedAt: expect.any(String),
      rating: { average: null, count: 0 },
      myRating: null,
      posterUrl: null,
    })
    const read = await anonymous.get(`/api/v1/titles/${title.id}`)
    expect(read.status).toBe(200)
    expect(read.body.title).toEqual({ ...title, seasons: [], media: null })
  })

  test('fills optional fields with null and an empty genre list', async () => {
    const title = await addTitle(owner, { kind: 'series', name: 'Тихий Дон' })
    expect(title).toMatchObject({ kind: 'series', originalName: null, year: null, description: null, genres: [] })
  })

  test('trims text, stores blank optional text as null and keeps one spelling per genre', async () => {
    const title = await addTitle(owner, {
      name: '  Сталкер  ',
      originalName: '   ',
      description: ' ',
      genres: ['Драма', ' драма ', 'ДРАМА', 'Sci-Fi', 'sci-fi'],
    })
    expect(title).toMatchObject({ name: 'Сталкер', originalName: null, description: null, genres: ['Драма', 'Sci-Fi'] })
  })

  test('returns stored XSS payloads verbatim as JSON text', async () => {
    const payloads = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>']
    const title = await addTitle(owner, { name: payloads[0], description: payloads[1], genres: payloads })
    const read = await anonymous.get(`/api/v1/titles/${title.id}`)
    expect(read.headers.get('content-type')).toContain('application/json')
    expect(read.body.title).toMatchObject({ name: payloads[0], description: payloads[1], genres: payloads })
  })

  test('lets a bearer-token integration create titles like the browser does', async () => {
    const token = (await owner.post('/api/v1/tokens', { name: 'script' })).body.token
    const script = Client.withToken(server.url, token)
    const created = await script.post('/api/v1/titles', { kind: 'movie', name: 'Через токен' })
    expect(created.status).toBe(201)
    expect(created.body.title.ownerId).toBe(owner.userId)
  })

  test('PATCH changes only the fields sent and moves updatedAt', async () => {
    const title = await addTitle(owner, { name: 'Старое имя', year: 2001, genres: ['Комедия'] })
    await Bun.sleep(5)
    const patched = await owner.patch(`/api/v1/titles/${title.id}`, { name: 'Новое имя', genres: ['Драма'] })
    expect(patched.status).toBe(200)
    expect(patched.body.title).toMatchObject({ name: 'Новое имя', year: 2001, kind: 'movie', genres: ['Драма'] })
    expect(patched.body.title.updatedAt > title.updatedAt).toBe(true)
    const cleared = await owner.patch(`/api/v1/titles/${title.id}`, { year: null, description: null })
    expect(cleared.body.title).toMatchObject({ name: 'Новое имя', year: null, description: null })
    const untouched = await owner.patch(`/api/v1/titles/${title.id}`, {})
    expect(untouched.status).toBe(200)
    expect(untouched.body.title).toMatchObject({ name: 'Новое имя', kind: 'movie', genres: ['Драма'] })
  })

  test('missing titles are 404 title_not_found', async () => {
    expectError(await anonymous.get('/api/v1/titles/999999'), 404, 'title_not_found')
    expectError(await owner.patch('/api/v1/titles/999999', { name: 'x' }), 404, 'title_not_found')
    expectError(await owner.delete('/api/v1/titles/999999'), 404, 'title_not_found')
    expectError(await owner.post('/api/v1/titles/999999/seasons', { number: 1 }), 404, 'title_not_found')
  })

  test('refuses to turn a series with seasons into a movie, or a movie with a video into a series', async () => {
    const series = await addTitle(owner, { kind: 'series', name: 'Сериал с сезоном' })
    await addSeason(owner, series.id)
    expectError(await owner.patch(`/api/v1/titles/${series.id}`, { kind: 'movie' }), 409, 'title_has_seasons', 'kind')
    const movie = await addTitle(owner, { name: 'Фильм с видео' })
    await addMedia(server, { ownerId: owner.userId, titleId: movie.id })
    expectError(await owner.patch(`/api/v1/titles/${movie.id}`, { kind: 'series' }), 409, 'title_has_media', 'kind')
    const empty = await addTitle(owner, { kind: 'series', name: 'Пустой сериал' })
    expect((await owner.patch(`/api/v1/titles/${empty.id}`, { kind: 'movie' })).body.title.kind).toBe('movie')
  })
})

describe('title validation', () => {
  const invalid: [string, Record<string, unknown>, string][] = [
    ['no kind', { name: 'x' }, 'kind'],
    ['an unknown kind', { kind: 'film', name: 'x' }, 'kind'],
    ['no name', { kind: 'movie' }, 'name'],
    ['an empty name', { kind: 'movie', name: '' }, 'name'],
    ['a blank name', { kind: 'movie', name: '   ' }, 'name'],
    ['a 301-character name', { kind: 'movie', name: 'я'.repeat(301) }, 'name'],
    ['a number for a name', { kind: 'movie', name: 123 }, 'name'],
    ['a year before 1870', { kind: 'movie', name: 'x', year: 1869 }, 'year'],
    ['a year after 2100', { kind: 'movie', name: 'x', year: 2101 }, 'year'],
    ['a fractional year', { kind: 'movie', name: 'x', year: 1999.5 }, 'year'],
    ['a year as text', { kind: 'movie', name: 'x', year: '1999' }, 'year'],
    ['a description over 10,000 characters', { kind: 'movie', name: 'x', description: 'a'.repeat(10_001) }, 'description'],
    ['21 genres', { kind: 'movie', name: 'x', genres: Array.from({ length: 21 }, (_, i) => `g${i}`) }, 'genres'],
    ['an empty genre', { kind: 'movie', name: 'x', genres: ['ok', ''] }, 'genres[1]'],
    ['a blank genre', { kind: 'movie', name: 'x', genres: ['  '] }, 'genres[0]'],
    ['a 51-character genre', { kind: 'movie', name: 'x', genres: ['g'.repeat(51)] }, 'genres[0]'],
    ['genres as text', { kind: 'movie', name: 'x', genres: 'Драма' }, 'genres'],
  ]
  for (const [what, body, field] of invalid)
    test(`rejects ${what} with 400 naming "${field}"`, async () => {
      expectError(await owner.post('/api/v1/titles', body), 400, undefined, field)
    })

  test('accepts the boundaries: 300-character name, years 1870 and 2100, 20 genres of 50', async () => {
    const genres = Array.from({ length: 20 }, (_, i) => `${i}`.padEnd(50, 'ж'))
    expect((await owner.post('/api/v1/titles', { kind: 'movie', name: 'я'.repeat(300), year: 1870, genres })).status).toBe(201)
    expect((await owner.post('/api/v1/titles', { kind: 'movie', name: 'x', year: 2100, description: 'd'.repeat(10_000) })).status).toBe(
      201,
    )
  })

  test('PATCH validates the same way and names the field', async () => {
    const title = await addTitle(owner, { name: 'Проверка' })
    expectError(await owner.patch(`/api/v1/titles/${title.id}`, { name: ' ' }), 400, 'invalid_input', 'name')
    expectError(await owner.patch(`/api/v1/titles/${title.id}`, { year: 3000 }), 400, 'invalid_input', 'year')
    expectError(await owner.patch(`/api/v1/titles/${title.id}`, { kind: 'cartoon' }), 400, 'invalid_input', 'kind')
  })

  test('malformed JSON is a 400, never a 500', async () => {
    const answer = await owner.post('/api/v1/titles', '{"kind": "movie", "name": ', {
      headers: { 'content-type': 'application/json' },
    })
    expectError(answer, 400, 'invalid_json')
    expectError(await owner.post('/api/v1/titles', '[]', { headers: { 'content-type': 'application/json' } }), 400)
    expectError(await owner.post('/api/v1/titles', 'null', { headers: { 'content-type': 'application/json' } }), 400)
  })

  test('a title body that is not JSON is 415', async () => {
    expectError(await owner.post('/api/v1/titles', 'kind=movie&name=x', { headers: { 'content-type': 'text/plain' } }), 415)
  })
})

describe('ids in paths', () => {
  const badIds = ['abc', '-1', '0', '1.5', '99999999999999999999', '1e3', '%20']
  const routes = [
    ['GET', '/api/v1/titles/:id'],
    ['PATCH', '/api/v1/titles/:id'],
    ['DELETE', '/api/v1/titles/:id'],
    ['POST', '/api/v1/titles/:id/seasons'],
    ['GET', '/api/v1/seasons/:id'],
    ['PATCH', '/api/v1/seasons/:id'],
    ['DELETE', '/api/v1/seasons/:id'],
    ['POST', '/api/v1/seasons/:id/episodes'],
    ['GET', '/api/v1/episodes/:id'],
    ['PATCH', '/api/v1/episodes/:id'],
    ['DELETE', '/api/v1/episodes/:id'],
  ]
  test('non-integer, negative, zero and huge ids are 400 or 404, never 500', async () => {
    const answers: string[] = []
    for (const [method, route] of routes)
      for (const id of badIds) {
        const body = method === 'PATCH' || method === 'POST' ? { number: 1, name: 'x' } : undefined
        const answer = await owner.request(method, route.replace(':id', id), { body })
        answers.push(`${method} ${route} ${id} → ${answer.status}`)
        expect([400, 404]).toContain(answer.status)
        expect(answer.body.error.code).toEqual(expect.any(String))
      }
    expect(answers).toHaveLength(routes.length * badIds.length)
  })
})

describe('seasons and episodes', () => {
  test('builds a series: seasons by number, each with its episodes, in the title document', async () => {
    const series = await addTitle(owner, { kind: 'series', name: 'Бригада' })
    const second = await addSeason(owner, series.id, 2)
    const first = (await owner.post(`/api/v1/titles/${series.id}/seasons`, { number: 1, name: 'Начало' })).body.season
    expect(first).toEqual({
      id: expect.any(Number),
      titleId: series.id,
      number: 1,
      name: 'Начало',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    })
    const created = await owner.post(`/api/v1/seasons/${first.id}/episodes`, {
      number: 2,
      name: 'Вторая серия',
      description: 'Саша Белый возвращается из армии',
    })
    expect(created.status).toBe(201)
    expect(created.body.episode).toEqual({
      id: expect.any(Number),
      titleId: series.id,
      seasonId: first.id,
      number: 2,
      name: 'Вторая серия',
      description: 'Саша Белый возвращается из армии',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      media: null,
    })
    await addEpisode(owner, first.id, 1)
    const read = (await anonymous.get(`/api/v1/titles/${series.id}`)).body.title
    expect(read.media).toBeNull()
    expect(read.seasons.map((s: { number: number }) => s.number)).toEqual([1, 2])
    expect(read.seasons[0].episodes.map((e: { number: number }) => e.number)).toEqual([1, 2])
    expect(read.seasons[1]).toMatchObject({ id: second.id, episodes: [] })
    const season = await anonymous.get(`/api/v1/seasons/${first.id}`)
    expect(season.status).toBe(200)
    expect(season.body.season).toEqual(read.seasons[0])
    const episode = await anonymous.get(`/api/v1/episodes/${created.body.episode.id}`)
    expect(episode.body.episode).toEqual(created.body.episode)
  })

  test('a movie has no seasons: 409 title_is_movie', async () => {
    const movie = await addTitle(owner, { name: 'Солярис' })
    expectError(await owner.post(`/api/v1/titles/${movie.id}/seasons`, { number: 1 }), 409, 'title_is_movie')
  })

  test('season numbers are unique per title and episode numbers per season (409)', async () => {
    const series = await addTitle(owner, { kind: 'series', name: 'Дубли' })
    const season = await addSeason(owner, series.id, 1)
    expectError(await owner.post(`/api/v1/titles/${series.id}/seasons`, { number: 1 }), 409, 'season_exists', 'number')
    const another = await addTitle(owner, { kind: 'series', name: 'Другой сериал' })
    expect((await owner.post(`/api/v1/titles/${another.id}/seasons`, { number: 1 })).status).toBe(201)
    await addEpisode(owner, season.id, 1)
    expectError(await owner.post(`/api/v1/seasons/${season.id}/episodes`, { number: 1, name: 'x' }), 409, 'episode_exists')
    const seasonTwo = await addSeason(owner, series.id, 2)
    expect((await owner.post(`/api/v1/seasons/${seasonTwo.id}/episodes`, { number: 1, name: 'x' })).status).toBe(201)
    expectError(await owner.patch(`/api/v1/seasons/${seasonTwo.id}`, { number: 1 }), 409, 'season_exists', 'number')
    const episodeTwo = await addEpisode(owner, season.id, 2)
    expectError(await owner.patch(`/api/v1/episodes/${episodeTwo.id}`, { number: 1 }), 409, 'episode_exists', 'number')
  })

  test('PATCH changes seasons and episodes', async () => {
    const series = await addTitle(owner, { kind: 'series', name: 'Меняем' })
    const season = await addSeason(owner, series.id, 1)
    const patched = await owner.patch(`/api/v1/seasons/${season.id}`, { number: 0, name: 'Спецвыпуски' })
    expect(patched.status).toBe(200)
    expect(patched.body.season).toMatchObject({ id: season.id, number: 0, name: 'Спецвыпуски' })
    expect((await owner.patch(`/api/v1/seasons/${season.id}`, { name: null })).body.season).toMatchObject({
      number: 0,
      name: null,
    })
    const episode = await addEpisode(owner, season.id, 1)
    const changed = await owner.patch(`/api/v1/episodes/${episode.id}`, { name: 'Пилот', description: 'Первая' })
    expect(changed.status).toBe(200)
    expect(changed.body.episode).toMatchObject({
      id: episode.id,
      number: 1,
      name: 'Пилот',
      description: 'Первая',
      media: null,
    })
  })

  test('validates season and episode fields, naming them', async () => {
    const series = await addTitle(owner, { kind: 'series', name: 'Валидация' })
    expectError(await owner.post(`/api/v1/titles/${series.id}/seasons`, { number: -1 }), 400, 'invalid_input', 'number')
    expectError(await owner.post(`/api/v1/titles/${series.id}/seasons`, { number: 1001 }), 400, 'invalid_input', 'number')
    expectError(await owner.post(`/api/v1/titles/${series.id}/seasons`, { number: '1' }), 400, 'invalid_input', 'number')
    expectError(await owner.post(`/api/v1/titles/${series.id}/seasons`, {}), 400, 'invalid_input', 'number')
    const season = await addSeason(owner, series.id, 1000)
    expectError(await owner.post(`/api/v1/seasons/${season.id}/episodes`, { number: 1 }), 400, 'invalid_input', 'name')
    expectError(await owner.post(`/api/v1/seasons/${season.id}/episodes`, { number: 1, name: ' ' }), 400, 'invalid_input', 'name')
    expectError(await owner.post(`/api/v1/seasons/${season.id}/episodes`, { number: 1.5, name: 'x' }), 400, 'invalid_input', 'number')
    const episode = await addEpisode(owner, season.id, 1)
    expectError(await owner.patch(`/api/v1/episodes/${episode.id}`, { name: '' }), 400, 'invalid_input', 'name')
  })

  test('missing seasons and episodes are 404', async () => {
    expectError(await anonymous.get('/api/v1/seasons/999999'), 404, 'season_not_found')
    expectError(await owner.patch('/api/v1/seasons/999999', { name: 'x' }), 404, 'season_not_found')
    expectError(await owner.delete('/api/v1/seasons/999999'), 404, 'season_not_found')
    expectError(await owner.post('/api/v1/seasons/999999/episodes', { number: 1, name: 'x' }), 404, 'season_not_found')
    expectError(await anonymous.get('/api/v1/episodes/999999'), 404, 'episode_not_found')
    expectError(await owner.patch('/api/v1/episodes/999999', { name: 'x' }), 404, 'episode_not_found')
    expectError(await owner.delete('/api/v1/episodes/999999'), 404, 'episode_not_found')
  })
})

describe('media in the catalogue', () => {
  test('a movie shows its newest video and the poster of its newest playable one', async () => {
    const movie = await addTitle(owner, { name: 'Кин-дза-дза' })
    const playable = await addMedia(server, { ownerId: owner.userId, titleId: movie.id })
    const processing = await addMedia(server, { ownerId: owner.userId, titleId: movie.id, isPlayable: false })
    const read = (await anonymous.get(`/api/v1/titles/${movie.id}`)).body.title
    expect(read.posterUrl).toBe(`/media/${playable.id}/poster.jpg`)
    expect(read.media).toMatchObject({ id: processing.id, titleId: movie.id, status: 'ready', masterUrl: null })
    const listed = (await anonymous.get(`/api/v1/titles?q=${encodeURIComponent('Кин-дза-дза')}`)).body.items
    expect(listed).toEqual([expect.objectContaining({ id: movie.id, posterUrl: `/media/${playable.id}/poster.jpg` })])
  })

  test('episodes carry their video, and a series takes its poster from them', async () => {
    const series = await addTitle(owner, { kind: 'series', name: 'Улицы разбитых фонарей' })
    const season = await addSeason(owner, series.id)
    const episode = await addEpisode(owner, season.id)
    const video = await addMedia(server, { ownerId: owner.userId, episodeId: episode.id })
    const expected = { id: video.id, episodeId: episode.id, masterUrl: `/media/${video.id}/master.m3u8` }
    expect((await anonymous.get(`/api/v1/episodes/${episode.id}`)).body.episode.media).toMatchObject(expected)
    expect((await anonymous.get(`/api/v1/seasons/${season.id}`)).body.season.episodes[0].media).toMatchObject(expected)
    const title = (await anonymous.get(`/api/v1/titles/${series.id}`)).body.title
    expect(title.posterUrl).toBe(`/media/${video.id}/poster.jpg`)
    expect(title.seasons[0].episodes[0].media).toMatchObject(expected)
  })
})

describe('deleting', () => {
  test('deleting a title removes its seasons, episodes, ratings, reviews, media rows and folders', async () => {
    const series = await addTitle(owner, { kind: 'series', name: 'Удаляемый сериал', genres: ['Удаление'] })
    const season = await addSeason(owner, series.id)
    const episode = await addEpisode(owner, season.id)
    const video = await addMedia(server, { ownerId: owner.userId, episodeId: episode.id })
    await other.put(`/api/v1/titles/${series.id}/rating`, { score: 8 })
    const review = (await other.post(`/api/v1/titles/${series.id}/reviews`, { body: 'Жаль удалять' })).body.review
    const movie = await addTitle(owner, { name: 'Удаляемый фильм' })
    const movieVideo = await addMedia(server, { ownerId: owner.userId, titleId: movie.id })
    const bystander = await addTitle(owner, { name: 'Остающийся фильм' })
    const bystanderVideo = await addMedia(server, { ownerId: owner.userId, titleId: bystander.id })

    expect((await owner.delete(`/api/v1/titles/${series.id}`)).status).toBe(204)
    expect((await owner.delete(`/api/v1/titles/${movie.id}`)).status).toBe(204)

    expectError(await anonymous.get(`/api/v1/titles/${series.id}`), 404, 'title_not_found')
    expectError(await anonymous.get(`/api/v1/seasons/${season.id}`), 404, 'season_not_found')
    expectError(await anonymous.get(`/api/v1/episodes/${episode.id}`), 404, 'episode_not_found')
    expectError(await anonymous.get(`/api/v1/reviews/${review.id}`), 404, 'review_not_found')
    expect(await countRows(server, 'SELECT count(*) FROM ratings WHERE title_id = ?', [series.id])).toBe(0)
    expect(await countRows(server, 'SELECT count(*) FROM reviews WHERE title_id = ?', [series.id])).toBe(0)
    expect(await countRows(server, 'SELECT count(*) FROM title_genres WHERE title_id = ?', [series.id])).toBe(0)
    expect(await countRows(server, 'SELECT count(*) FROM titles_search WHERE rowid IN (?, ?)', [series.id, movie.id])).toBe(0)
    expect(await countRows(server, 'SELECT count(*) FROM media WHERE id IN (?, ?)', [video.id, movieVideo.id])).toBe(0)
    expect(existsSync(video.folder)).toBe(false)
    expect(existsSync(movieVideo.folder)).toBe(false)
    expect(existsSync(bystanderVideo.folder)).toBe(true)
    expect((await anonymous.get(`/api/v1/titles?q=${encodeURIComponent('Удаляемый')}`)).body.total).toBe(0)
  })

  test('deleting a season removes its episodes and their video folders, and nothing else', async () => {
    const series = await addTitle(owner, { kind: 'series', name: 'Сезоны под снос' })
    const doomed = await addSeason(owner, series.id, 1)
    const kept = await addSeason(owner, series.id, 2)
    const doomedEpisode = await addEpisode(owner, doomed.id)
    const keptEpisode = await addEpisode(owner, kept.id)
    const doomedVideo = await addMedia(server, { ownerId: owner.userId, episodeId: doomedEpisode.id })
    const keptVideo = await addMedia(server, { ownerId: owner.userId, episodeId: keptEpisode.id })
    expect((await owner.delete(`/api/v1/seasons/${doomed.id}`)).status).toBe(204)
    expectError(await anonymous.get(`/api/v1/episodes/${doomedEpisode.id}`), 404)
    expect(existsSync(doomedVideo.folder)).toBe(false)
    expect(existsSync(keptVideo.folder)).toBe(true)
    const title = (await anonymous.get(`/api/v1/titles/${series.id}`)).body.title
    expect(title.seasons.map((s: { id: number }) => s.id)).toEqual([kept.id])
  })

  test('deleting an episode removes its video folder', async () => {
    const series = await addTitle(owner, { kind: 'series', name: 'Серия под снос' })
    const season = await addSeason(owner, series.id)
    const episode = await addEpisode(owner, season.id)
    const video = await addMedia(server, { ownerId: owner.userId, episodeId: episode.id })
    expect((await owner.delete(`/api/v1/episodes/${episode.id}`)).status).toBe(204)
    expectError(await anonymous.get(`/api/v1/episodes/${episode.id}`), 404, 'episode_not_found')
    expect(existsSync(video.folder)).toBe(false)
    expect((await anonymous.get(`/api/v1/seasons/${season.id}`)).body.season.episodes).toEqual([])
  })
})

describe('rights', () => {
  type Actor = 'owner' | 'other' | 'admin' | 'anonymous'
  const clientOf = (actor: Actor) => ({ owner, other, admin, anonymous })[actor]
  // Who may do it → the status they get; everyone else gets 401 (anonymous) or 403.
  const expected = (allowed: number): Record<Actor, number> => ({
    owner: allowed,
    admin: allowed,
    other: 403,
    anonymous: 401,
  })

  async function seriesWithEpisode() {
    const series = await addTitle(owner, { kind: 'series', name: 'Права' })
    const season = await addSeason(owner, series.id)
    const episode = await addEpisode(owner, season.id)
    return { series, season, episode }
  }

  const mutations: [string, number, (client: Client) => Promise<{ status: number }>][] = [
    ['PATCH a title', 200, async c => c.patch(`/api/v1/titles/${(await seriesWithEpisode()).series.id}`, { name: 'Новое' })],
    ['DELETE a title', 204, async c => c.delete(`/api/v1/titles/${(await seriesWithEpisode()).series.id}`)],
    ['add a season', 201, async c => c.post(`/api/v1/titles/${(await seriesWithEpisode()).series.id}/seasons`, { number: 7 })],
    ['PATCH a season', 200, async c => c.patch(`/api/v1/seasons/${(await seriesWithEpisode()).season.id}`, { name: 'Сезон' })],
    ['DELETE a season', 204, async c => c.delete(`/api/v1/seasons/${(await seriesWithEpisode()).season.id}`)],
    [
      'add an episode',
      201,
      async c => c.post(`/api/v1/seasons/${(await seriesWithEpisode()).season.id}/episodes`, { number: 9, name: 'Новая' }),
    ],
    ['PATCH an episode', 200, async c => c.patch(`/api/v1/episodes/${(await seriesWithEpisode()).episode.id}`, { name: 'Серия' })],
    ['DELETE an episode', 204, async c => c.delete(`/api/v1/episodes/${(await seriesWithEpisode()).episode.id}`)],
  ]

  for (const [what, allowed, run] of mutations)
    test(`${what}: owner and admin may, another user gets 403, anonymous 401`, async () => {
      const statuses: Record<string, number> = {}
      for (const actor of ['owner', 'other', 'admin', 'anonymous'] as Actor[]) statuses[actor] = (await run(clientOf(actor))).status
      expect(statuses).toEqual(expected(allowed))
    })

  test('a refused mutation changes nothing', async () => {
    const { series, episode } = await seriesWithEpisode()
    expectError(await other.patch(`/api/v1/titles/${series.id}`, { name: 'Захват' }), 403, 'forbidden')
    expectError(await other.delete(`/api/v1/episodes/${episode.id}`), 403, 'forbidden')
    expectError(await anonymous.post('/api/v1/titles', { kind: 'movie', name: 'Аноним' }), 401, 'unauthorized')
    const read = (await anonymous.get(`/api/v1/titles/${series.id}`)).body.title
    expect(read.name).toBe('Права')
    expect(read.seasons[0].episodes).toHaveLength(1)
  })

  test('a missing entity is 404 before rights are considered', async () => {
    expectError(await other.patch('/api/v1/titles/999999', { name: 'x' }), 404)
    expectError(await other.delete('/api/v1/seasons/999999'), 404)
  })
})

describe('OpenAPI', () => {
  test('documents the catalogue endpoints with their schemas', async () => {
    const document = (await anonymous.get('/api/v1/openapi.json')).body
    const titles = document.paths['/api/v1/titles']
    expect(titles.get.tags).toEqual(['Catalogue'])
    expect(titles.get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['q', 'kind', 'genre', 'year', 'sort', 'page', 'perPage']),
    )
    expect(JSON.stringify(titles.post.requestBody)).toContain('originalName')
    expect(JSON.stringify(document.paths['/api/v1/titles/{id}'].get.responses['200'])).toContain('seasons')
    expect(document.paths['/api/v1/seasons/{id}'].get.summary).toEqual(expect.any(String))
    expect(Object.keys(document.paths['/api/v1/titles/{id}'].delete.responses)).toContain('204')
    expect(Object.keys(document.paths['/api/v1/titles/{id}'].patch.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '404']),
    )
  })
})

describe('the genres offered in the catalogue filter', () => {
  const genreOptions = async () => {
    const page = await (await fetch(`${server.url}/`)).text()
    return [...page.matchAll(/<option value="([^"]+)"/g)].map(match => match[1])
  }

  test('follow title writes at once: a new genre is offered, a genre no title has any more is not', async () => {
    expect(await genreOptions()).not.toContain('zydeco noir')
    const title = await addTitle(owner, { name: 'Genre follower', genres: ['Zydeco Noir'] })
    expect(await genreOptions()).toContain('zydeco noir')
    expect((await owner.patch(`/api/v1/titles/${title.id}`, { genres: [] })).status).toBe(200)
    expect(await genreOptions()).not.toContain('zydeco noir')
  })
})
