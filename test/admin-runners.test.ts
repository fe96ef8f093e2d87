// The admin side of remote runners (issue 14): an admin makes a registration token (shown
// once, with the command a runner host runs), lists and deletes them; lists the runners with
// when and from where each was last seen and its current job, and revokes one, after which
// its token is refused. Only admins may do any of it. The runner side (registering with the
// token, authenticating) is called here through runners/tokens.ts on the server's database.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { media, jobs } from '../src/db/schema'
import { registrationLabelRule } from '../src/admin/rules'
import { authenticateRunner, registerRunner, runnerLeasePrefix } from '../src/runners/tokens'
import { expectError } from './helpers/catalogue'
import { Client, signUp } from './helpers/client'
import { type TestServer, startServer } from './helpers/server'
import { createMovie, openServerDb } from './helpers/transcode'

let server: TestServer
let admin: Client & { userId: number }
let user: Client & { userId: number }
let database: ReturnType<typeof openServerDb>

beforeAll(async () => {
  server = await startServer({ admins: '1\n' })
  admin = await signUp(server.url)
  user = await signUp(server.url)
  database = openServerDb(server)
})

afterAll(async () => {
  database?.client.close()
  await server?.stop()
})

const tokensPath = '/api/v1/admin/runner-registration-tokens'

async function makeToken(label: string) {
  const answer = await admin.post(tokensPath, { label })
  expect(answer.status).toBe(201)
  return answer.body as { id: number; label: string; token: string; command: string; createdAt: string }
}

describe('admin runner API', () => {
  test('only admins: 401 without an account, 403 admin_only for a user, on every route', async () => {
    const routes: [string, string, unknown?][] = [
      ['POST', tokensPath, { label: 'x' }],
      ['GET', tokensPath],
      ['DELETE', `${tokensPath}/1`],
      ['GET', '/api/v1/admin/runners'],
      ['POST', '/api/v1/admin/runners/1/revoke'],
    ]
    for (const [method, path, body] of routes) {
      expectError(await new Client(server.url).request(method, path, { body }), 401, 'unauthorized')
      expectError(await user.request(method, path, { body }), 403, 'admin_only')
    }
    expect((await admin.get(tokensPath)).body.items).toEqual([])
  })

  test('a registration token is shown once with its command, stored hashed, listed without it, and deleted', async () => {
    const created = await makeToken('  encoder-1  ')
    expect(created.label).toBe('encoder-1')
    expect(created.token).toMatch(/^mprr_\S{20,}$/)
    expect(created.command).toBe(`bun run runner --server ${server.url} --token ${created.token}`)
    const listed = (await admin.get(tokensPath)).body.items
    expect(listed).toEqual([{ id: created.id, label: 'encoder-1', createdAt: created.createdAt }])
    const stored = await database.client.execute('SELECT * FROM runner_registration_tokens')
    expect(JSON.stringify(stored.rows)).not.toContain(created.token)
    expect((await admin.delete(`${tokensPath}/${created.id}`)).status).toBe(204)
    expect(await registerRunner(database.db, { registrationToken: created.token, name: 'late' })).toBeNull()
    expectError(await admin.delete(`${tokensPath}/${created.id}`), 404, 'registration_token_not_found')
    expect((await admin.get(tokensPath)).body.items).toEqual([])
  })

  test('labels follow the rule: required, not blank, at most the rule’s length', async () => {
    expectError(await admin.post(tokensPath, { label: '' }), 400, 'invalid_input')
    expectError(await admin.post(tokensPath, { label: '   ' }), 400, 'invalid_input')
    expectError(await admin.post(tokensPath, {}), 400, 'invalid_input')
    expectError(await admin.post(tokensPath, { label: 'x'.repeat(registrationLabelRule.maxLength + 1) }), 400, 'invalid_input')
    const longest = await makeToken('я'.repeat(registrationLabelRule.maxLength))
    expect((await admin.delete(`${tokensPath}/${longest.id}`)).status).toBe(204)
  })

  test('runners are listed with last seen, last address and current job; revoking one makes its token refused', async () => {
    const { token } = await makeToken('rack')
    const runner = await registerRunner(database.db, { registrationToken: token, name: 'rack-encoder' })
    if (!runner) throw new Error('registration refused')
    expect(await authenticateRunner(database.db, runner.token, '10.0.0.7')).toEqual({ id: runner.id, name: 'rack-encoder' })
    const titleId = await createMovie(database.db, admin.userId)
    const [row] = await database.db.insert(media).values({ titleId, ownerId: admin.userId, status: 'processing' }).returning()
    const [job] = await database.db
      .insert(jobs)
      .values({
        mediaId: row.id,
        status: 'running',
        leaseOwner: `${runnerLeasePrefix(runner.id)}abc`,
        leaseExpiresAtMs: Date.now() + 60_000,
      })
      .returning()

    const listed = (await admin.get('/api/v1/admin/runners')).body.items
    expect(listed).toHaveLength(1)
    expect(listed[0]).toMatchObject({
      id: runner.id,
      name: 'rack-encoder',
      lastAddress: '10.0.0.7',
      revokedAt: null,
      currentJob: { id: job.id, mediaId: row.id },
    })
    expect(Date.now() - Date.parse(listed[0].lastSeenAt)).toBeLessThan(60_000)

    expect((await admin.post(`/api/v1/admin/runners/${runner.id}/revoke`)).status).toBe(204)
    expect(await authenticateRunner(database.db, runner.token, '10.0.0.7')).toBeNull()
    const after = (await admin.get('/api/v1/admin/runners')).body.items[0]
    expect(after.revokedAt).not.toBeNull()
    // Again: still revoked, no error. An unknown runner: 404.
    expect((await admin.post(`/api/v1/admin/runners/${runner.id}/revoke`)).status).toBe(204)
    expectError(await admin.post(`/api/v1/admin/runners/${runner.id + 1000}/revoke`), 404, 'runner_not_found')
  })

  test('the OpenAPI document lists every runner admin operation with its 4xx', async () => {
    const document = await (await fetch(`${server.url}/api/v1/openapi.json`)).json()
    const operations: [string, string, string[]][] = [
      ['/api/v1/admin/runner-registration-tokens', 'post', ['400', '401', '403']],
      ['/api/v1/admin/runner-registration-tokens', 'get', ['401', '403']],
      ['/api/v1/admin/runner-registration-tokens/{id}', 'delete', ['400', '401', '403', '404']],
      ['/api/v1/admin/runners', 'get', ['401', '403']],
      ['/api/v1/admin/runners/{id}/revoke', 'post', ['400', '401', '403', '404']],
    ]
    for (const [path, method, statuses] of operations) {
      const responses = Object.keys(document.paths[path]?.[method]?.responses ?? {})
      expect({ path, method, errors: responses.filter(status => status.startsWith('4')).sort() }).toEqual({
        path,
        method,
        errors: statuses,
      })
    }
  })
})
