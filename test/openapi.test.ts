import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { startServer, type TestServer } from './helpers/server'

// Every endpoint of shared/api.md, as method and path template.
const contract = `
POST /api/v1/auth/register
POST /api/v1/auth/login
POST /api/v1/auth/logout
GET /api/v1/me
POST /api/v1/tokens
GET /api/v1/tokens
DELETE /api/v1/tokens/{}
GET /api/v1/titles
POST /api/v1/titles
GET /api/v1/titles/{}
PATCH /api/v1/titles/{}
DELETE /api/v1/titles/{}
POST /api/v1/titles/{}/seasons
PATCH /api/v1/seasons/{}
DELETE /api/v1/seasons/{}
POST /api/v1/seasons/{}/episodes
GET /api/v1/episodes/{}
PATCH /api/v1/episodes/{}
DELETE /api/v1/episodes/{}
PUT /api/v1/titles/{}/rating
DELETE /api/v1/titles/{}/rating
GET /api/v1/titles/{}/reviews
POST /api/v1/titles/{}/reviews
PATCH /api/v1/reviews/{}
DELETE /api/v1/reviews/{}
POST /api/v1/uploads
PUT /api/v1/titles/{}/video
PUT /api/v1/episodes/{}/video
GET /api/v1/media/{}
GET /api/v1/media/{}/events
POST /api/v1/media/{}/subtitles
DELETE /api/v1/media/{}
PUT /api/v1/me/password
GET /api/v1/me/sessions
DELETE /api/v1/me/sessions
DELETE /api/v1/me/sessions/{}
DELETE /api/v1/me
`
  .trim()
  .split('\n')

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.stop())

describe('OpenAPI document', () => {
  test('describes every endpoint of the contract', async () => {
    const response = await fetch(`${server.url}/api/v1/openapi.json`)
    expect(response.status).toBe(200)
    const document = (await response.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> }
    expect(document.openapi).toStartWith('3.')
    const described = new Set(
      Object.entries(document.paths).flatMap(([path, operations]) =>
        Object.keys(operations).map(method => `${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, '{}')}`),
      ),
    )
    const missing = contract.filter(endpoint => !described.has(endpoint))
    expect(missing).toEqual([])
  })

  test('says which credentials the self-service account routes take', async () => {
    const document = await (await fetch(`${server.url}/api/v1/openapi.json`)).json()
    const operations = [
      document.paths['/api/v1/me/password']?.put,
      document.paths['/api/v1/me/sessions']?.get,
      document.paths['/api/v1/me/sessions']?.delete,
      document.paths['/api/v1/me/sessions/{id}']?.delete,
      document.paths['/api/v1/me']?.delete,
    ]
    for (const operation of operations) {
      expect(operation?.tags).toEqual(['Accounts'])
      expect(operation?.security).toEqual([{ bearer: [] }, { session: [] }])
    }
    const change = document.paths['/api/v1/me/password'].put.requestBody.content['application/json'].schema
    expect(Object.keys(change.properties)).toEqual(['currentPassword', 'newPassword'])
    const deletion = document.paths['/api/v1/me'].delete.requestBody.content['application/json'].schema
    expect(Object.keys(deletion.properties)).toEqual(['password', 'keepTitles'])
  })

  test('every operation lists its 4xx answers, and 401 when it needs an account', async () => {
    type Operation = { responses?: Record<string, unknown>; security?: Record<string, string[]>[] }
    const document = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Operation>>
    }
    const operations = Object.entries(document.paths).flatMap(([path, byMethod]) =>
      Object.entries(byMethod).map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, operation })),
    )
    expect(operations.length).toBeGreaterThan(40)
    const statusesOf = (operation: Operation) => Object.keys(operation.responses ?? {})
    const without4xx = operations.filter(({ operation }) => !statusesOf(operation).some(status => /^4\d\d$/.test(status)))
    expect(without4xx.map(({ name }) => name)).toEqual([])
    // An operation that needs an account has no anonymous ({}) entry in its security.
    const needsAccount = operations.filter(
      ({ operation }) => operation.security && !operation.security.some(s => Object.keys(s).length === 0),
    )
    expect(needsAccount.length).toBeGreaterThan(20)
    expect(needsAccount.filter(({ operation }) => !statusesOf(operation).includes('401')).map(({ name }) => name)).toEqual([])
  })

  test('documents JSON request bodies with their schema', async () => {
    const document = await (await fetch(`${server.url}/api/v1/openapi.json`)).json()
    const register = document.paths['/api/v1/auth/register'].post
    const schema = register.requestBody.content['application/json'].schema
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['username', 'password']))
  })

  test('is browsable at /api/docs with every asset served by MoviePoint itself', async () => {
    const page = await (await fetch(`${server.url}/api/docs`)).text()
    const assets = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map(m => m[1])
    expect(assets.length).toBeGreaterThanOrEqual(3)
    for (const asset of assets) {
      expect(asset).toStartWith('/')
      const response = await fetch(server.url + asset)
      expect(response.status).toBe(200)
      expect(response.headers.get('cache-control')).toContain('immutable')
    }
    expect(page).not.toMatch(/<script>[^<]/)
  })
})
