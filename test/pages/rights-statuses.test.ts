// Page form posts answer like the API: a missing thing is a 404 and someone else's is a
// 403, whatever the form holds. The form is only checked (400) once the thing exists and
// the user may change it, so an invalid form never tells a stranger less than a valid one.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { addEpisode, addMedia, addSeason, addTitle } from '../helpers/catalogue'
import { type Client, signUp } from '../helpers/client'
import { type TestServer, startServer } from '../helpers/server'

let server: TestServer
let owner: Client & { userId: number }
let stranger: Client & { userId: number }
const ids = { title: 0, season: 0, episode: 0, review: 0, media: 0 }
const missing = 999_999

beforeAll(async () => {
  server = await startServer()
  ;[owner, stranger] = await Promise.all([signUp(server.url), signUp(server.url)])
  const series = await addTitle(owner, { kind: 'series', name: 'Чужой сериал' })
  const season = await addSeason(owner, series.id)
  const episode = await addEpisode(owner, season.id)
  const movie = await addTitle(owner, { name: 'Чужой фильм' })
  const review = await owner.post(`/api/v1/titles/${movie.id}/reviews`, { body: 'Моя рецензия' })
  const media = await addMedia(server, { ownerId: owner.userId, titleId: movie.id })
  Object.assign(ids, { title: series.id, season: season.id, episode: episode.id, review: review.body.review.id, media: media.id })
})

afterAll(async () => {
  await server?.stop()
})

// A form as the browser posts it; every field invalid (or absent) at once.
function postForm(client: Client, path: string, form: Record<string, string>) {
  return client.post(path, new URLSearchParams(form).toString(), {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  })
}

const invalidTitle = { kind: 'cartoon', name: '', year: '12' }
const invalidSeason = { number: 'x', name: 'n'.repeat(301) }
const invalidEpisode = { number: '-1', name: '' }
const invalidReview = { body: '   ' }

// [what, path of an existing thing of the owner's, path of a missing one, invalid form]
const cases: [string, (id: number) => string, number, Record<string, string>][] = [
  ['editing a title', id => `/titles/${id}`, 0, invalidTitle],
  ['adding a season to a title', id => `/titles/${id}/seasons`, 0, invalidSeason],
  ['editing a season', id => `/seasons/${id}`, 1, invalidSeason],
  ['adding an episode to a season', id => `/seasons/${id}/episodes`, 1, invalidEpisode],
  ['editing an episode', id => `/episodes/${id}`, 2, invalidEpisode],
  ['editing a review', id => `/reviews/${id}`, 3, invalidReview],
  ['adding subtitles to a video', id => `/media/${id}/subtitles`, 4, { lang: 'xx' }],
]
const idOf = (which: number) => [ids.title, ids.season, ids.episode, ids.review, ids.media][which]

describe('page form posts: existence, then rights, then the form', () => {
  for (const [what, path, which, form] of cases) {
    test(`${what}: someone else's is a 403 even with an invalid form`, async () => {
      const answer = await postForm(stranger, path(idOf(which)), form)
      expect({ what, status: answer.status }).toEqual({ what, status: 403 })
    })

    test(`${what}: a missing one is a 404 even with an invalid form`, async () => {
      const answer = await postForm(stranger, path(missing), form)
      expect({ what, status: answer.status }).toEqual({ what, status: 404 })
    })

    test(`${what}: the owner's invalid form is still a 400`, async () => {
      const answer = await postForm(owner, path(idOf(which)), form)
      expect({ what, status: answer.status }).toEqual({ what, status: 400 })
    })
  }
})
