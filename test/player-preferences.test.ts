// The player's remembered languages: GET/PUT /api/v1/me/player-preferences, per account.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { Client, signUp } from './helpers/client'
import { type TestServer, startServer } from './helpers/server'

let server: TestServer

beforeAll(async () => {
  server = await startServer()
}, 30_000)

afterAll(() => server?.stop())

const path = '/api/v1/me/player-preferences'

describe('player preferences', () => {
  test('are empty until chosen, then kept on the account (subtitles may be off)', async () => {
    const viewer = await signUp(server.url)
    expect((await viewer.get(path)).body).toEqual({ audioLang: null, subtitleLang: null })
    const saved = await viewer.put(path, { audioLang: 'ru', subtitleLang: 'en' })
    expect(saved.status).toBe(200)
    expect(saved.body).toEqual({ audioLang: 'ru', subtitleLang: 'en' })
    await viewer.put(path, { audioLang: 'pt-BR', subtitleLang: 'off' })
    expect((await viewer.get(path)).body).toEqual({ audioLang: 'pt-BR', subtitleLang: 'off' })
    // Another account has its own.
    const other = await signUp(server.url)
    expect((await other.get(path)).body).toEqual({ audioLang: null, subtitleLang: null })
  })

  test('answer 401 to the anonymous, 400 for a value that is not a language tag, 403 without the CSRF token', async () => {
    const viewer = await signUp(server.url)
    expect((await new Client(server.url).get(path)).status).toBe(401)
    expect((await new Client(server.url).put(path, { audioLang: 'ru', subtitleLang: null })).status).toBe(401)
    for (const body of [
      { audioLang: 'e', subtitleLang: null },
      { audioLang: 'russian!', subtitleLang: null },
      { audioLang: 'ru', subtitleLang: '<script>' },
      { audioLang: 'ru' },
      { audioLang: 'x'.repeat(40), subtitleLang: null },
    ]) {
      const answer = await viewer.put(path, body)
      expect(answer.status).toBe(400)
      expect(answer.body.error.code).toBe('invalid_input')
    }
    const noCsrf = await viewer.put(path, { audioLang: 'ru', subtitleLang: null }, { sendCsrf: false })
    expect(noCsrf.status).toBe(403)
    expect((await viewer.get(path)).body).toEqual({ audioLang: null, subtitleLang: null })
  })

  test('are described in the OpenAPI document with their 4xx', async () => {
    const spec = (await new Client(server.url).get('/api/v1/openapi.json')).body
    const entry = spec.paths[path]
    expect(Object.keys(entry).sort()).toEqual(['get', 'put'])
    expect(Object.keys(entry.put.responses).sort()).toEqual(expect.arrayContaining(['200', '400', '401']))
  })
})
