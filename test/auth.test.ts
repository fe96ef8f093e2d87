import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createClient } from '@libsql/client'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { Client, signUp, uniqueName } from './helpers/client'
import { startServer, type TestServer } from './helpers/server'

let server: TestServer
const password = 'correct horse 1'

beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.stop())

function dbFile() {
  return createClient({ url: `file:${join(server.mediaDir, 'moviepoint.db')}` })
}

function setCookieLines(headers: Headers) {
  return headers.getSetCookie()
}

describe('registration', () => {
  test('creates an account, signs it in and sets hardened cookies', async () => {
    const client = new Client(server.url)
    const username = uniqueName('Иван')
    const answer = await client.post('/api/v1/auth/register', { username, password })
    expect(answer.status).toBe(201)
    expect(answer.body.user).toMatchObject({ username, isAdmin: false })
    expect(typeof answer.body.user.id).toBe('number')
    expect(new Date(answer.body.user.createdAt).toISOString()).toBe(answer.body.user.createdAt)
    const [session, csrf] = ['mp_session', 'csrf'].map(name => setCookieLines(answer.headers).find(l => l.startsWith(`${name}=`))!)
    expect(session).toMatch(/HttpOnly/i)
    expect(session).toMatch(/SameSite=Lax/i)
    expect(session).toMatch(/Path=\//)
    expect(session).not.toMatch(/Secure/i)
    expect(csrf).not.toMatch(/HttpOnly/i)
    const me = await client.get('/api/v1/me')
    expect(me.status).toBe(200)
    expect(me.body.user.username).toBe(username)
  })

  test('refuses a taken username, whatever its case', async () => {
    const username = uniqueName('Taken')
    await signUp(server.url, username)
    const again = await new Client(server.url).post('/api/v1/auth/register', { username: username.toUpperCase(), password })
    expect(again.status).toBe(409)
    expect(again.body.error.code).toBe('username_taken')
  })

  test('names the field of an invalid username or password', async () => {
    const client = new Client(server.url)
    const cases: [unknown, string][] = [
      [{ username: 'ab', password }, 'username'],
      [{ username: 'x'.repeat(33), password }, 'username'],
      [{ username: 'has space', password }, 'username'],
      [{ username: uniqueName(), password: 'short' }, 'password'],
      [{ username: uniqueName(), password: 12345678 }, 'password'],
      [{ password }, 'username'],
    ]
    for (const [body, field] of cases) {
      const answer = await client.post('/api/v1/auth/register', body)
      expect(answer.status).toBe(400)
      expect(answer.body.error.message).toContain(field)
    }
  })

  test('marks the cookie Secure when the request came over https', async () => {
    const answer = await new Client(server.url).post(
      '/api/v1/auth/register',
      { username: uniqueName(), password },
      { headers: { 'x-forwarded-proto': 'https' } },
    )
    expect(answer.status).toBe(201)
    expect(setCookieLines(answer.headers).find(l => l.startsWith('mp_session='))).toMatch(/Secure/)
  })
})

describe('sessions', () => {
  test('stores argon2id password hashes and only the SHA-256 of session tokens', async () => {
    const client = await signUp(server.url)
    const token = client.cookies.get('mp_session')!
    expect(token.length).toBeGreaterThanOrEqual(26) // ≥ 128 bits in base32
    const db = dbFile()
    const user = await db.execute({ sql: 'select password_hash from users where id = ?', args: [client.userId] })
    expect(String(user.rows[0].password_hash)).toStartWith('$argon2id$v=19$m=19456,t=2,')
    const sessions = await db.execute({ sql: 'select id from sessions where user_id = ?', args: [client.userId] })
    const ids = sessions.rows.map(r => String(r.id))
    expect(ids).toContain(createHash('sha256').update(token).digest('hex'))
    expect(ids).not.toContain(token)
    db.close()
  })

  test('gives a new session at every login', async () => {
    const username = uniqueName()
    const first = await signUp(server.url, username)
    const second = new Client(server.url)
    const login = await second.post('/api/v1/auth/login', { username, password })
    expect(login.status).toBe(200)
    expect(login.body.user.id).toBe(first.userId)
    expect(second.cookies.get('mp_session')).not.toBe(first.cookies.get('mp_session'))
    expect(second.cookies.get('csrf')).not.toBe(first.cookies.get('csrf'))
  })

  test('logout deletes the session on the server', async () => {
    const client = await signUp(server.url)
    const stolen = client.cookies.get('mp_session')!
    expect((await client.post('/api/v1/auth/logout')).status).toBe(204)
    expect(client.cookies.has('mp_session')).toBe(false)
    const replay = new Client(server.url)
    replay.cookies.set('mp_session', stolen)
    expect((await replay.get('/api/v1/me')).status).toBe(401)
  })

  test('answers 401 for wrong passwords and unknown users alike', async () => {
    const username = uniqueName()
    await signUp(server.url, username)
    for (const body of [
      { username, password: 'wrong password' },
      { username: uniqueName('ghost'), password },
    ]) {
      const answer = await new Client(server.url).post('/api/v1/auth/login', body)
      expect(answer.status).toBe(401)
      expect(answer.body.error.code).toBe('invalid_credentials')
    }
  })

  test('/me is 401 for anonymous callers and for an unknown cookie', async () => {
    expect((await new Client(server.url).get('/api/v1/me')).status).toBe(401)
    const forged = new Client(server.url)
    forged.cookies.set('mp_session', 'a'.repeat(32))
    expect((await forged.get('/api/v1/me')).status).toBe(401)
  })
})

describe('API tokens', () => {
  test('live through create, use, list and revoke', async () => {
    const client = await signUp(server.url)
    const created = await client.post('/api/v1/tokens', { name: 'backup script' })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ name: 'backup script' })
    expect(created.body.token).toStartWith('mp_')

    const listed = await client.get('/api/v1/tokens')
    expect(listed.body.items).toHaveLength(1)
    expect(listed.body.items[0]).toMatchObject({ id: created.body.id, name: 'backup script', lastUsedAt: null })
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token)

    const script = Client.withToken(server.url, created.body.token)
    const me = await script.get('/api/v1/me')
    expect(me.status).toBe(200)
    expect(me.body.user.id).toBe(client.userId)
    const used = await client.get('/api/v1/tokens')
    expect(used.body.items[0].lastUsedAt).not.toBeNull()

    const db = dbFile()
    const stored = await db.execute({ sql: 'select token_hash from api_tokens where id = ?', args: [created.body.id] })
    expect(stored.rows[0].token_hash).toBe(createHash('sha256').update(created.body.token).digest('hex'))
    db.close()

    expect((await client.delete(`/api/v1/tokens/${created.body.id}`)).status).toBe(204)
    const revoked = await script.get('/api/v1/me')
    expect(revoked.status).toBe(401)
    expect((await client.get('/api/v1/tokens')).body.items).toHaveLength(0)
  })

  test("cannot revoke another user's token", async () => {
    const owner = await signUp(server.url)
    const other = await signUp(server.url)
    const created = await owner.post('/api/v1/tokens', { name: 'mine' })
    expect((await other.delete(`/api/v1/tokens/${created.body.id}`)).status).toBe(404)
    expect((await owner.get('/api/v1/tokens')).body.items).toHaveLength(1)
  })

  test('need an account and a name', async () => {
    expect((await new Client(server.url).post('/api/v1/tokens', { name: 'x' })).status).toBe(401)
    const client = await signUp(server.url)
    expect((await client.post('/api/v1/tokens', { name: '' })).status).toBe(400)
    expect((await client.delete('/api/v1/tokens/abc')).status).toBe(400)
  })
})

describe('CSRF protection', () => {
  test('refuses a cookie-authenticated mutation from a foreign Origin, even with the token', async () => {
    const client = await signUp(server.url)
    const answer = await client.post('/api/v1/tokens', { name: 'x' }, { origin: 'https://evil.example' })
    expect(answer.status).toBe(403)
    expect(answer.body.error.code).toBe('csrf_origin_mismatch')
  })

  test('refuses a same-origin mutation without the CSRF token', async () => {
    const client = await signUp(server.url)
    const answer = await client.post('/api/v1/tokens', { name: 'x' }, { sendCsrf: false })
    expect(answer.status).toBe(403)
    expect(answer.body.error.code).toBe('csrf_token_invalid')
  })

  test('refuses a cookie mutation that says nowhere where it came from', async () => {
    const client = await signUp(server.url)
    expect((await client.post('/api/v1/tokens', { name: 'x' }, { origin: null })).status).toBe(403)
  })

  test('accepts a Referer of this site when Origin is absent', async () => {
    const client = await signUp(server.url)
    const answer = await client.post('/api/v1/tokens', { name: 'x' }, { origin: null, headers: { referer: `${server.url}/titles/1` } })
    expect(answer.status).toBe(201)
  })

  test('accepts same-origin with the token, and bearer requests from anywhere', async () => {
    const client = await signUp(server.url)
    const created = await client.post('/api/v1/tokens', { name: 'x' })
    expect(created.status).toBe(201)
    const script = Client.withToken(server.url, created.body.token)
    const viaBearer = await script.post('/api/v1/tokens', { name: 'y' }, { origin: 'https://elsewhere.example' })
    expect(viaBearer.status).toBe(201)
  })

  test('refuses a login posted from a foreign page', async () => {
    const username = uniqueName()
    await signUp(server.url, username)
    const answer = await new Client(server.url).post('/api/v1/auth/login', { username, password }, { origin: 'https://evil.example' })
    expect(answer.status).toBe(403)
  })
})

describe('login throttling', () => {
  test('answers 429 with Retry-After after repeated failures for one username', async () => {
    const username = uniqueName()
    await signUp(server.url, username)
    for (let i = 0; i < 5; i++) {
      const answer = await new Client(server.url).post('/api/v1/auth/login', { username, password: `wrong ${i}xxxx` })
      expect(answer.status).toBe(401)
    }
    const throttled = await new Client(server.url).post('/api/v1/auth/login', { username, password })
    expect(throttled.status).toBe(429)
    expect(throttled.body.error.code).toBe('too_many_attempts')
    const wait = Number(throttled.headers.get('retry-after'))
    expect(wait).toBeGreaterThan(0)
    expect(wait).toBeLessThanOrEqual(15 * 60)
  })
})

describe('login throttling across doors', () => {
  test('counts failures on the API and on the sign-in page together', async () => {
    const username = uniqueName()
    await signUp(server.url, username)
    for (let i = 0; i < 5; i++)
      expect((await new Client(server.url).post('/api/v1/auth/login', { username, password: `nope ${i}xxxx` })).status).toBe(401)
    const form = new URLSearchParams({ username, password })
    const page = await new Client(server.url).post('/login', form.toString(), {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(page.status).toBe(429)
  })
})

describe('hardening', () => {
  test('sends security headers on every answer', async () => {
    const answers = [
      await new Client(server.url).get('/api/v1/me'),
      await new Client(server.url).get('/api/v1/no-such-endpoint'),
      await new Client(server.url).get('/api/v1/openapi.json'),
    ]
    for (const answer of answers) {
      const csp = answer.headers.get('content-security-policy')!
      expect(csp).toContain("frame-ancestors 'none'")
      expect(csp).toMatch(/script-src 'self'/)
      expect(csp).not.toContain("'unsafe-inline' 'self'")
      expect(csp.split(';').find(d => d.trim().startsWith('script-src'))).not.toContain('unsafe-inline')
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff')
      expect(answer.headers.get('referrer-policy')).toBeTruthy()
    }
  })

  test('answers malformed JSON with 400, a wrong content type with 415, a huge body with 413', async () => {
    const client = new Client(server.url)
    const malformed = await client.post('/api/v1/auth/register', '{"username": ', { headers: { 'content-type': 'application/json' } })
    expect(malformed.status).toBe(400)
    expect(malformed.body.error.code).toBe('invalid_json')
    const plain = await client.post('/api/v1/auth/register', 'username=a', { headers: { 'content-type': 'text/plain' } })
    expect(plain.status).toBe(415)
    const huge = await client.post('/api/v1/auth/register', JSON.stringify({ username: 'x'.repeat(2_000_000), password }), {
      headers: { 'content-type': 'application/json' },
    })
    expect(huge.status).toBe(413)
    for (const answer of [malformed, plain, huge]) {
      expect(answer.text).not.toMatch(/at .*\.ts:\d+/)
      expect(answer.headers.get('content-type')).toContain('application/json')
    }
  })

  test('answers unknown endpoints with a JSON 404', async () => {
    const answer = await new Client(server.url).get('/api/v1/nothing/here')
    expect(answer.status).toBe(404)
    expect(answer.body.error.code).toBe('not_found')
  })
})
