// Accounts people manage themselves, through the JSON API: changing the password, the
// list of one's sessions and signing them out, deleting the account (titles kept or not),
// and `__Host-` cookies when the server is reached over https.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { addMedia, addTitle, countRows, expectError, openServerDatabase } from './helpers/catalogue'
import { Client, signUp, uniqueName } from './helpers/client'
import { createTusUpload, filesIn, patchUpload, randomVideo, uploadsDir } from './helpers/media'
import { startServer, type TestServer } from './helpers/server'

const password = 'correct horse 1'
const chromeOnLinux = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36'
const firefoxOnWindows = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0'

let server: TestServer

beforeAll(async () => {
  // User 1 is the admin: the first account of every test file's server is made for it.
  server = await startServer({ admins: '1\n' })
  await signUp(server.url, uniqueName('admin'))
})
afterAll(() => server.stop())

// Another browser of the same user.
async function signIn(username: string, secret = password, userAgent = firefoxOnWindows) {
  const client = new Client(server.url)
  const answer = await client.post('/api/v1/auth/login', { username, password: secret }, { headers: { 'user-agent': userAgent } })
  return { client, status: answer.status }
}

async function signUpNamed(userAgent = chromeOnLinux) {
  const username = uniqueName('self')
  const client = new Client(server.url)
  const answer = await client.post('/api/v1/auth/register', { username, password }, { headers: { 'user-agent': userAgent } })
  expect(answer.status).toBe(201)
  return { client, username, userId: answer.body.user.id as number }
}

describe('changing the password', () => {
  test('needs the current password and a new one that follows the registration rule', async () => {
    const { client } = await signUpNamed()
    const wrong = await client.put('/api/v1/me/password', { currentPassword: 'not my password', newPassword: 'brand new secret' })
    expectError(wrong, 401, 'invalid_credentials')
    expectError(
      await client.put('/api/v1/me/password', { currentPassword: password, newPassword: 'short' }),
      400,
      undefined,
      'newPassword',
    )
    expectError(
      await client.put('/api/v1/me/password', { currentPassword: password, newPassword: 'x'.repeat(257) }),
      400,
      undefined,
      'newPassword',
    )
    expectError(
      await new Client(server.url).put('/api/v1/me/password', { currentPassword: password, newPassword: 'brand new secret' }),
      401,
    )
    expect((await client.get('/api/v1/me')).status).toBe(200)
  })

  test('ends every other session, keeps this one under a new id, and leaves API tokens working', async () => {
    const { client, username } = await signUpNamed()
    const other = await signIn(username)
    expect(other.status).toBe(200)
    const token = (await client.post('/api/v1/tokens', { name: 'script' })).body.token
    const before = client.cookies.get('mp_session')
    const answer = await client.put('/api/v1/me/password', { currentPassword: password, newPassword: 'brand new secret' })
    expect(answer.status).toBe(204)
    expect(client.cookies.get('mp_session')).not.toBe(before)
    expect((await client.get('/api/v1/me')).status).toBe(200)
    expect((await client.post('/api/v1/tokens', { name: 'after the change' })).status).toBe(201)
    expect((await other.client.get('/api/v1/me')).status).toBe(401)
    // The old cookie is no session any more: the id was rotated.
    const stale = new Client(server.url)
    stale.cookies.set('mp_session', before!)
    expect((await stale.get('/api/v1/me')).status).toBe(401)
    expect((await Client.withToken(server.url, token).get('/api/v1/me')).status).toBe(200)
    expect((await signIn(username)).status).toBe(401)
    expect((await signIn(username, 'brand new secret')).status).toBe(200)
  })

  test('with an API token, ends every session of the user', async () => {
    const { client, username } = await signUpNamed()
    const token = (await client.post('/api/v1/tokens', { name: 'script' })).body.token
    const script = Client.withToken(server.url, token)
    expect((await script.put('/api/v1/me/password', { currentPassword: password, newPassword: 'brand new secret' })).status).toBe(204)
    expect((await client.get('/api/v1/me')).status).toBe(401)
    expect((await signIn(username, 'brand new secret')).status).toBe(200)
  })

  test('counts wrong current passwords as failed sign-ins: the sixth in a row waits', async () => {
    const { client } = await signUpNamed()
    for (let i = 0; i < 5; i++)
      expectError(
        await client.put('/api/v1/me/password', { currentPassword: `guess ${i}`, newPassword: 'brand new secret' }),
        401,
        'invalid_credentials',
      )
    const throttled = await client.put('/api/v1/me/password', { currentPassword: password, newPassword: 'brand new secret' })
    expectError(throttled, 429, 'too_many_attempts')
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0)
  })
})

describe('sessions', () => {
  test('lists the browsers signed in, marks this one, and names them readably', async () => {
    const { client, username } = await signUpNamed(chromeOnLinux)
    await signIn(username, password, firefoxOnWindows)
    const list = await client.get('/api/v1/me/sessions')
    expect(list.status).toBe(200)
    expect(list.body.items).toHaveLength(2)
    const current = list.body.items.filter((item: { current: boolean }) => item.current)
    expect(current).toHaveLength(1)
    expect(current[0]).toMatchObject({ userAgent: chromeOnLinux, browser: 'Chrome', os: 'Linux' })
    const otherOne = list.body.items.find((item: { current: boolean }) => !item.current)
    expect(otherOne).toMatchObject({ userAgent: firefoxOnWindows, browser: 'Firefox', os: 'Windows' })
    for (const item of list.body.items) {
      expect(item.id).toMatch(/^[0-9a-f]{16}$/)
      expect(new Date(item.createdAt).getTime()).toBeGreaterThan(Date.now() - 60_000)
      expect(new Date(item.lastSeenAt).getTime()).toBeGreaterThan(Date.now() - 60_000)
    }
    // The public id is no part of the token the cookie holds.
    expect(client.cookies.get('mp_session')).not.toContain(current[0].id)
  })

  test('shows a hostile User-Agent on the account page as text only', async () => {
    const hostile = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    const { client } = await signUpNamed(hostile)
    const page = await client.get('/account?lang=en')
    expect(page.status).toBe(200)
    expect(page.text).toContain('title="&quot;>&lt;script>alert(1)&lt;/script>&lt;img src=x onerror=alert(2)>"')
    expect(page.text).not.toContain('<script>alert(1)')
    expect(page.text).not.toContain('<img src=x')
  })

  test('notes the last use at most once a minute', async () => {
    const { client, userId } = await signUpNamed()
    const db = openServerDatabase(server)
    try {
      const twoMinutesAgo = Date.now() - 120_000
      await db.execute({ sql: 'UPDATE sessions SET last_seen_at_ms = ? WHERE user_id = ?', args: [twoMinutesAgo, userId] })
      await client.get('/api/v1/me')
      const seen = Number(
        (await db.execute({ sql: 'SELECT last_seen_at_ms FROM sessions WHERE user_id = ?', args: [userId] })).rows[0][0],
      )
      expect(seen).toBeGreaterThan(Date.now() - 10_000)
      const thirtySecondsAgo = Date.now() - 30_000
      await db.execute({ sql: 'UPDATE sessions SET last_seen_at_ms = ? WHERE user_id = ?', args: [thirtySecondsAgo, userId] })
      await client.get('/api/v1/me')
      const kept = Number(
        (await db.execute({ sql: 'SELECT last_seen_at_ms FROM sessions WHERE user_id = ?', args: [userId] })).rows[0][0],
      )
      expect(kept).toBe(thirtySecondsAgo)
    } finally {
      db.close()
    }
  })

  test('ends one session by its id, and only one of the user’s own', async () => {
    const { client, username } = await signUpNamed()
    const other = await signIn(username)
    const stranger = await signUp(server.url)
    const items = (await client.get('/api/v1/me/sessions')).body.items
    const otherId = items.find((item: { current: boolean }) => !item.current).id
    expectError(await stranger.delete(`/api/v1/me/sessions/${otherId}`), 404, 'session_not_found')
    expectError(await client.delete('/api/v1/me/sessions/not-a-session'), 400)
    expect((await other.client.get('/api/v1/me')).status).toBe(200)
    expect((await client.delete(`/api/v1/me/sessions/${otherId}`)).status).toBe(204)
    expect((await other.client.get('/api/v1/me')).status).toBe(401)
    expectError(await client.delete(`/api/v1/me/sessions/${otherId}`), 404, 'session_not_found')
    expect((await client.get('/api/v1/me/sessions')).body.items).toHaveLength(1)
  })

  test('ending the current session signs out and clears the cookies', async () => {
    const { client } = await signUpNamed()
    const [current] = (await client.get('/api/v1/me/sessions')).body.items
    const answer = await client.delete(`/api/v1/me/sessions/${current.id}`)
    expect(answer.status).toBe(204)
    expect(answer.headers.getSetCookie().some(line => /^mp_session=;/.test(line))).toBe(true)
    expect((await client.get('/api/v1/me')).status).toBe(401)
  })

  test('signs out everywhere else: this session stays, API tokens stay', async () => {
    const { client, username } = await signUpNamed()
    const others = [await signIn(username), await signIn(username)]
    const token = (await client.post('/api/v1/tokens', { name: 'script' })).body.token
    expect((await client.delete('/api/v1/me/sessions')).status).toBe(204)
    for (const other of others) expect((await other.client.get('/api/v1/me')).status).toBe(401)
    expect((await client.get('/api/v1/me')).status).toBe(200)
    expect((await client.get('/api/v1/me/sessions')).body.items).toHaveLength(1)
    expect((await Client.withToken(server.url, token).get('/api/v1/me')).status).toBe(200)
  })
})

describe('deleting the account', () => {
  test('needs the password; a wrong one leaves everything as it was', async () => {
    const { client, username } = await signUpNamed()
    expectError(await client.delete('/api/v1/me', { body: { password: 'not my password' } }), 401, 'invalid_credentials')
    expectError(await client.delete('/api/v1/me', { body: { password, keepTitles: 'yes' } }), 400)
    expect((await client.get('/api/v1/me')).status).toBe(200)
    expect((await signIn(username)).status).toBe(200)
  })

  test('keeping the titles: they stay with no owner, for admins only; the rest of the account goes', async () => {
    const { client, username, userId } = await signUpNamed()
    const other = await signIn(username)
    const token = (await client.post('/api/v1/tokens', { name: 'script' })).body.token
    const title = await addTitle(client, { name: uniqueName('Kept') })
    const rater = await signUp(server.url)
    await rater.put(`/api/v1/titles/${title.id}/rating`, { score: 4 })
    await client.put(`/api/v1/titles/${title.id}/rating`, { score: 10 })
    await client.post(`/api/v1/titles/${title.id}/reviews`, { body: 'Mine' })
    const video = await addMedia(server, { ownerId: userId, titleId: title.id })
    // An upload still in progress can never be finished by anyone once its uploader is gone.
    const created = await createTusUpload(client, { length: 4096, target: `title:${title.id}` })
    expect(created.status).toBe(201)
    const location = created.headers.get('location')!
    expect((await patchUpload(client, location, 0, randomVideo(1024))).status).toBe(204)
    const uploadingId = Number(/\/(\d+)-/.exec(location)?.[1])
    expect(filesIn(uploadsDir(server)).some(name => name.startsWith(`${uploadingId}-`))).toBe(true)

    const answer = await client.delete('/api/v1/me', { body: { password } })
    expect(answer.status).toBe(204)
    expect(answer.headers.getSetCookie().some(line => /^mp_session=;/.test(line))).toBe(true)

    expect((await other.client.get('/api/v1/me')).status).toBe(401)
    expect((await Client.withToken(server.url, token).get('/api/v1/me')).status).toBe(401)
    expect((await signIn(username)).status).toBe(401)
    const kept = await new Client(server.url).get(`/api/v1/titles/${title.id}`)
    expect(kept.status).toBe(200)
    expect(kept.body.title).toMatchObject({ ownerId: null, rating: { average: 4, count: 1 } })
    expect((await new Client(server.url).get(`/api/v1/titles/${title.id}/reviews`)).body.total).toBe(0)
    expect(existsSync(video.folder)).toBe(true)
    expect(await countRows(server, 'SELECT count(*) FROM media WHERE id = ? AND owner_id IS NULL', [video.id])).toBe(1)
    expect(await countRows(server, 'SELECT count(*) FROM media WHERE id = ?', [uploadingId])).toBe(0)
    expect(filesIn(uploadsDir(server)).filter(name => name.startsWith(`${uploadingId}-`))).toEqual([])
    for (const table of ['sessions', 'api_tokens', 'ratings', 'reviews', 'watch_positions'])
      expect(await countRows(server, `SELECT count(*) FROM ${table} WHERE user_id = ?`, [userId])).toBe(0)
    // Nobody but an admin may change a title left without owner.
    expectError(await rater.patch(`/api/v1/titles/${title.id}`, { name: 'Taken over' }), 403, 'forbidden')
    const { client: admin } = await signInAdmin()
    expect((await admin.patch(`/api/v1/titles/${title.id}`, { name: 'Kept by the admins' })).status).toBe(200)
  })

  test('deleting the titles: they go with their videos, files included; others’ titles stay', async () => {
    const { client, userId } = await signUpNamed()
    const neighbour = await signUp(server.url)
    const mine = await addTitle(client, { name: uniqueName('Mine') })
    const series = await addTitle(client, { name: uniqueName('Series'), kind: 'series' })
    const season = (await client.post(`/api/v1/titles/${series.id}/seasons`, { number: 1 })).body.season
    const episode = (await client.post(`/api/v1/seasons/${season.id}/episodes`, { number: 1, name: 'One' })).body.episode
    const theirs = await addTitle(neighbour, { name: uniqueName('Theirs') })
    await client.put(`/api/v1/titles/${theirs.id}/rating`, { score: 2 })
    const movieVideo = await addMedia(server, { ownerId: userId, titleId: mine.id })
    const episodeVideo = await addMedia(server, { ownerId: userId, episodeId: episode.id })
    const created = await createTusUpload(client, { length: 4096, target: `title:${mine.id}` })
    const location = created.headers.get('location')!
    await patchUpload(client, location, 0, randomVideo(1024))
    const uploadingId = Number(/\/(\d+)-/.exec(location)?.[1])

    expect((await client.delete('/api/v1/me', { body: { password, keepTitles: false } })).status).toBe(204)

    const anonymous = new Client(server.url)
    expect((await anonymous.get(`/api/v1/titles/${mine.id}`)).status).toBe(404)
    expect((await anonymous.get(`/api/v1/titles/${series.id}`)).status).toBe(404)
    expect((await anonymous.get(`/api/v1/titles/${theirs.id}`)).body.title).toMatchObject({
      ownerId: neighbour.userId,
      rating: { count: 0 },
    })
    expect(existsSync(movieVideo.folder)).toBe(false)
    expect(existsSync(episodeVideo.folder)).toBe(false)
    expect(existsSync(join(server.mediaDir, String(uploadingId)))).toBe(false)
    expect(filesIn(uploadsDir(server)).filter(name => name.startsWith(`${uploadingId}-`))).toEqual([])
    expect(
      await countRows(server, 'SELECT count(*) FROM media WHERE id IN (?, ?, ?)', [movieVideo.id, episodeVideo.id, uploadingId]),
    ).toBe(0)
  })
})

let adminClient: Client | null = null
// User 1 of this server (admins.txt), signed in once with a password of its own.
async function signInAdmin() {
  if (!adminClient) {
    const db = openServerDatabase(server)
    try {
      const username = String((await db.execute('SELECT username FROM users WHERE id = 1')).rows[0][0])
      adminClient = (await signIn(username)).client
    } finally {
      db.close()
    }
  }
  return { client: adminClient }
}

describe('cookies over https', () => {
  test('carry the __Host- prefix when PublicUrl is https, and the session works with them', async () => {
    const https = await startServer({ ini: { PublicUrl: 'https://films.example' } })
    try {
      const client = new Client(https.url)
      const answer = await client.post('/api/v1/auth/register', { username: uniqueName('secure'), password })
      expect(answer.status).toBe(201)
      const lines = answer.headers.getSetCookie()
      const session = lines.find(line => line.startsWith('__Host-mp_session='))
      const csrf = lines.find(line => line.startsWith('__Host-csrf='))
      for (const line of [session, csrf]) {
        expect(line).toMatch(/;\s*Secure/i)
        expect(line).toMatch(/;\s*Path=\/(;|$)/i)
        expect(line).not.toMatch(/Domain=/i)
      }
      expect(session).toMatch(/HttpOnly/i)
      expect(lines.some(line => /^(mp_session|csrf)=/.test(line))).toBe(false)
      // The server reads the prefixed names back, CSRF check included.
      expect((await client.get('/api/v1/me')).status).toBe(200)
      expect((await client.post('/api/v1/tokens', { name: 'x' })).status).toBe(201)
      const page = await client.get('/')
      expect(page.text).toContain('data-cookie="__Host-csrf"')
      const out = await client.post('/api/v1/auth/logout')
      expect(out.status).toBe(204)
      expect(out.headers.getSetCookie().some(line => /^__Host-mp_session=;.*Secure/i.test(line))).toBe(true)
    } finally {
      await https.stop()
    }
  })
})
