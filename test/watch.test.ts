// "Continue watching": GET/PUT /api/v1/media/:id/position, per signed-in user.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { addMedia, addTitle, openServerDatabase } from './helpers/catalogue'
import { Client, signUp } from './helpers/client'
import { type TestServer, startServer } from './helpers/server'

let server: TestServer
let viewer: Client & { userId: number }
let mediaId: number

beforeAll(async () => {
  server = await startServer()
  const owner = await signUp(server.url)
  const title = await addTitle(owner, { name: 'Позиция' })
  mediaId = (await addMedia(server, { ownerId: owner.userId, titleId: title.id })).id
  const db = openServerDatabase(server)
  await db.execute({ sql: 'UPDATE media SET duration_sec = 600 WHERE id = ?', args: [mediaId] })
  db.close()
  viewer = await signUp(server.url)
}, 30_000)

afterAll(() => server?.stop())

const path = (id: number) => `/api/v1/media/${id}/position`

describe('watch positions', () => {
  test('is null until saved, then remembers the last position', async () => {
    const before = await viewer.get(path(mediaId))
    expect(before.status).toBe(200)
    expect(before.body).toEqual({ mediaId, positionSec: null, updatedAt: null })
    expect((await viewer.put(path(mediaId), { positionSec: 83.5 })).status).toBe(200)
    const saved = await viewer.put(path(mediaId), { positionSec: 95.2 })
    expect(saved.body.positionSec).toBe(95.2)
    const after = await viewer.get(path(mediaId))
    expect(after.body.positionSec).toBe(95.2)
    expect(Date.parse(after.body.updatedAt)).toBeGreaterThan(Date.now() - 60_000)
  })

  test('keeps one position per user', async () => {
    const other = await signUp(server.url)
    await viewer.put(path(mediaId), { positionSec: 42 })
    expect((await other.get(path(mediaId))).body.positionSec).toBeNull()
  })

  test('keeps a position past the end at the end', async () => {
    expect((await viewer.put(path(mediaId), { positionSec: 9999 })).body.positionSec).toBe(600)
  })

  test('answers 401 to the anonymous, 404 for a missing video, 400 for a bad position', async () => {
    expect((await new Client(server.url).get(path(mediaId))).status).toBe(401)
    expect((await viewer.get(path(999_999))).status).toBe(404)
    expect((await viewer.put(path(999_999), { positionSec: 1 })).body.error.code).toBe('media_not_found')
    expect((await viewer.put(path(mediaId), { positionSec: -1 })).status).toBe(400)
    expect((await viewer.put(path(mediaId), { positionSec: 'soon' })).status).toBe(400)
    expect((await viewer.put(path(mediaId), {})).status).toBe(400)
  })

  test('refuses a cookie-authenticated save without the CSRF token', async () => {
    const answer = await viewer.put(path(mediaId), { positionSec: 5 }, { sendCsrf: false })
    expect(answer.status).toBe(403)
    expect(answer.body.error.code).toBe('csrf_token_invalid')
  })

  test('is described in the OpenAPI document', async () => {
    const spec = (await new Client(server.url).get('/api/v1/openapi.json')).body
    const entry = spec.paths['/api/v1/media/{id}/position']
    expect(Object.keys(entry).sort()).toEqual(['get', 'put'])
  })
})
