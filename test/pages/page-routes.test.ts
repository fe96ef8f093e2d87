// Page form routes named like the API's: subtitles at /media/:id/subtitles, the rating
// removed at /titles/:id/rating/delete. The old paths answer 308 (same method, same body),
// so a page loaded before the rename still posts where it meant to.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { addMedia, addTitle, countRows } from '../helpers/catalogue'
import { type Client, signUp } from '../helpers/client'
import { type TestServer, startServer } from '../helpers/server'

let server: TestServer
let user: Client & { userId: number }

beforeAll(async () => {
  server = await startServer()
  user = await signUp(server.url)
})

afterAll(async () => {
  await server?.stop()
})

const vtt = 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nПривет\n'

function subtitleForm(): FormData {
  const form = new FormData()
  form.set('lang', 'ru')
  form.set('file', new File([vtt], 'ru.vtt', { type: 'text/vtt' }))
  return form
}

describe('page routes', () => {
  test('subtitles are posted to /media/:id/subtitles; /videos/:id/subtitles redirects there with 308', async () => {
    const title = await addTitle(user, { name: 'Субтитры' })
    const media = await addMedia(server, { ownerId: user.userId, titleId: title.id })
    const moved = await user.post(`/videos/${media.id}/subtitles`, subtitleForm())
    expect({ status: moved.status, location: moved.headers.get('location') }).toEqual({
      status: 308,
      location: `/media/${media.id}/subtitles`,
    })
    const added = await user.post(`/media/${media.id}/subtitles`, subtitleForm())
    expect({ status: added.status, location: added.headers.get('location') }).toEqual({
      status: 303,
      location: `/titles/${title.id}#video`,
    })
    const page = await user.get(`/titles/${title.id}`)
    expect(page.text).toContain(`action="/media/${media.id}/subtitles"`)
    expect(page.text).not.toContain('/videos/')
  })

  test('the rating is removed at /titles/:id/rating/delete; /titles/:id/rating/remove redirects there with 308', async () => {
    const title = await addTitle(user, { name: 'Оценка' })
    expect((await user.put(`/api/v1/titles/${title.id}/rating`, { score: 7 })).status).toBe(200)
    const page = await user.get(`/titles/${title.id}`)
    expect(page.text).toContain(`formaction="/titles/${title.id}/rating/delete"`)
    const moved = await user.post(`/titles/${title.id}/rating/remove`)
    expect({ status: moved.status, location: moved.headers.get('location') }).toEqual({
      status: 308,
      location: `/titles/${title.id}/rating/delete`,
    })
    expect(await countRows(server, 'SELECT count(*) FROM ratings WHERE title_id = ?', [title.id])).toBe(1)
    const removed = await user.post(`/titles/${title.id}/rating/delete`)
    expect({ status: removed.status, location: removed.headers.get('location') }).toEqual({
      status: 303,
      location: `/titles/${title.id}#rating`,
    })
    expect(await countRows(server, 'SELECT count(*) FROM ratings WHERE title_id = ?', [title.id])).toBe(0)
  })
})
