// Registration modes (server.ini `Registration`: open, closed, invite) and what admins do to
// accounts: list, create, disable, promote and demote, one-time password links, invites.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createClient } from '@libsql/client'
import { join } from 'node:path'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { parseConfig } from '../src/config/ini'
import { Client, signUp, uniqueName } from './helpers/client'
import { type ServerOptions, type TestServer, repoRoot, runServerOnce, startServer, writeIni } from './helpers/server'

const password = 'correct horse 1'

// A server whose first account (id 1, the admins.txt admin) was made while registration
// was open, restarted in `mode`: a closed or invite-only server needs its first admin first.
async function serverWithAdmin(mode: 'open' | 'closed' | 'invite') {
  const options: ServerOptions = { admins: '1\n' }
  const first = await startServer(options)
  const adminName = uniqueName('admin')
  await signUp(first.url, adminName)
  if (mode === 'open') return { server: first, adminName }
  await first.kill()
  writeIni(first.dir, { ...options, ini: { Registration: mode } })
  return { server: await startServer({ dir: first.dir }), adminName }
}

async function signIn(baseUrl: string, username: string, secret = password) {
  const client = new Client(baseUrl)
  const answer = await client.post('/api/v1/auth/login', { username, password: secret })
  return { client, answer }
}

function dbOf(server: TestServer) {
  return createClient({ url: `file:${join(server.mediaDir, 'moviepoint.db')}` })
}

function secretOf(url: string, name: string): string {
  return new URL(url).searchParams.get(name) ?? ''
}

describe('the Registration key', () => {
  test('is open unless set, takes closed and invite, and a bad value stops start-up with one line naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moviepoint-registration-'))
    try {
      const ini = join(dir, 'server.ini')
      expect(parseConfig(`MediaDataPath="${dir}/m"\n`, ini).registration).toBe('open')
      expect(parseConfig(`MediaDataPath="${dir}/m"\nRegistration="Invite"\n`, ini).registration).toBe('invite')
      writeIni(dir, { ini: { Registration: 'sometimes' } })
      const { exitCode, stderr } = await runServerOnce(ini)
      expect(exitCode).toBe(1)
      expect(stderr.trim()).toBe('server.ini: Registration: "sometimes" is not one of open, closed, invite')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('Registration=closed', () => {
  let server: TestServer
  let admin: Client

  beforeAll(async () => {
    const started = await serverWithAdmin('closed')
    server = started.server
    admin = (await signIn(server.url, started.adminName)).client
  }, 30_000)
  afterAll(() => server.stop())

  test('refuses sign-up with 403 registration_closed, with or without an invite', async () => {
    for (const body of [
      { username: uniqueName(), password },
      { username: uniqueName(), password, invite: 'x'.repeat(32) },
    ]) {
      const answer = await new Client(server.url).post('/api/v1/auth/register', body)
      expect(answer.status).toBe(403)
      expect(answer.body.error.code).toBe('registration_closed')
    }
  })

  test('an admin creates an account and a one-time link; the person sets a password with it and signs in', async () => {
    const username = uniqueName('made')
    const created = await admin.post('/api/v1/admin/users', { username })
    expect(created.status).toBe(201)
    expect(created.body.user).toMatchObject({ username, isAdmin: false, disabled: false, titlesCount: 0 })
    const link = created.body.passwordLink
    expect(link.url).toStartWith(`${server.url}/password-reset?token=`)
    expect(Date.parse(link.expiresAt) - Date.now()).toBeGreaterThan(23 * 3600_000)
    const token = secretOf(link.url, 'token')
    const anonymous = new Client(server.url)
    expect((await anonymous.post('/api/v1/auth/password-reset', { token, password: 'short' })).status).toBe(400)
    expect((await anonymous.post('/api/v1/auth/password-reset', { token, password: 'my own words 2' })).status).toBe(204)
    expect((await signIn(server.url, username, 'my own words 2')).answer.status).toBe(200)
    const again = await anonymous.post('/api/v1/auth/password-reset', { token, password: 'another one 3' })
    expect(again.status).toBe(400)
    expect(again.body.error.code).toBe('password_reset_invalid')
    expect((await signIn(server.url, username, 'another one 3')).answer.status).toBe(401)
  })

  test('an admin may give the new account its password instead of a link', async () => {
    const username = uniqueName('given')
    const created = await admin.post('/api/v1/admin/users', { username, password })
    expect(created.status).toBe(201)
    expect(created.body.passwordLink ?? null).toBeNull()
    expect((await signIn(server.url, username)).answer.status).toBe(200)
    expect((await admin.post('/api/v1/admin/users', { username, password })).status).toBe(409)
  })

  test('the registration page says registration is closed, in both languages, and the form post is refused', async () => {
    const en = await (await fetch(`${server.url}/register?lang=en`)).text()
    expect(en).toContain('Registration is closed')
    expect(en).not.toContain('name="password"')
    const ru = await (await fetch(`${server.url}/register?lang=ru`)).text()
    expect(ru).toContain('Регистрация закрыта')
    const posted = await fetch(`${server.url}/register`, {
      method: 'POST',
      body: new URLSearchParams({ username: uniqueName(), password }),
      redirect: 'manual',
    })
    expect(posted.status).toBe(403)
  })

  test('no page offers a registration link: not the header, the sign-in page or a 404', async () => {
    for (const path of ['/', '/login', '/no-such-page'])
      expect(await (await fetch(`${server.url}${path}`)).text()).not.toContain('href="/register"')
  })
})

describe('bun run account:create', () => {
  test('gives a closed server its first admin: a one-time link sets the password; a taken name is one line and exit 1', async () => {
    const server = await startServer({ ini: { Registration: 'closed' } })
    try {
      const create = (...args: string[]) =>
        Bun.spawn(['bun', 'src/cli/account-create.ts', ...args], {
          cwd: repoRoot,
          env: { ...process.env, MOVIEPOINT_CONFIG: server.iniPath },
          stdout: 'pipe',
          stderr: 'pipe',
        })
      const made = create('first', '--admin')
      const [stdout, exitCode] = await Promise.all([new Response(made.stdout).text(), made.exited])
      expect(exitCode).toBe(0)
      const token = secretOf(/https?:\/\/\S+/.exec(stdout)?.[0] ?? 'http://x/', 'token')
      expect(token).not.toBe('')
      expect((await signIn(server.url, 'first')).answer.status).toBe(401)
      const reset = await new Client(server.url).post('/api/v1/auth/password-reset', { token, password })
      expect(reset.status).toBe(204)
      const { client, answer } = await signIn(server.url, 'first')
      expect(answer.status).toBe(200)
      expect(answer.body.user.isAdmin).toBe(true)
      expect((await client.post('/api/v1/admin/users', { username: uniqueName('made'), password })).status).toBe(201)
      const again = create('FIRST')
      const [stderr, againExit] = await Promise.all([new Response(again.stderr).text(), again.exited])
      expect(againExit).toBe(1)
      expect(stderr.trim().split('\n')).toEqual([expect.stringContaining('username_taken')])
    } finally {
      await server.stop()
    }
  }, 30_000)
})

describe('Registration=invite', () => {
  let server: TestServer
  let admin: Client

  beforeAll(async () => {
    const started = await serverWithAdmin('invite')
    server = started.server
    admin = (await signIn(server.url, started.adminName)).client
  }, 30_000)
  afterAll(() => server.stop())

  async function newInvite(): Promise<{ id: number; invite: string; url: string; expiresAt: string }> {
    const answer = await admin.post('/api/v1/admin/invites')
    expect(answer.status).toBe(201)
    return { ...answer.body, invite: secretOf(answer.body.url, 'invite') }
  }

  const register = (body: Record<string, unknown>) => new Client(server.url).post('/api/v1/auth/register', body)

  test('refuses sign-up without an invite or with a made-up one (403 invite_invalid)', async () => {
    for (const extra of [{}, { invite: 'a'.repeat(32) }, { invite: '' }]) {
      const answer = await register({ username: uniqueName(), password, ...extra })
      expect(answer.status).toBe(403)
      expect(answer.body.error.code).toBe('invite_invalid')
    }
  })

  test('an invite link works once, for 7 days; its secret is stored only as a hash', async () => {
    const { id, invite, url, expiresAt } = await newInvite()
    expect(url).toStartWith(`${server.url}/register?invite=`)
    expect(Math.abs(Date.parse(expiresAt) - (Date.now() + 7 * 24 * 3600_000))).toBeLessThan(60_000)
    const stored = await dbOf(server).execute({ sql: 'select token_hash from invites where id = ?', args: [id] })
    expect(stored.rows[0].token_hash).not.toBe(invite)
    const username = uniqueName('invited')
    const first = await register({ username, password, invite })
    expect(first.status).toBe(201)
    expect(first.body.user.username).toBe(username)
    const second = await register({ username: uniqueName(), password, invite })
    expect(second.status).toBe(403)
    expect(second.body.error.code).toBe('invite_invalid')
    const listed = await admin.get('/api/v1/admin/invites')
    expect(listed.status).toBe(200)
    expect(listed.body.items.find((item: { id: number }) => item.id === id)).toMatchObject({
      usedBy: first.body.user.id,
      isUsable: false,
    })
  })

  test('ten registrations racing with one invite make exactly one account', async () => {
    const { invite } = await newInvite()
    const names = Array.from({ length: 10 }, () => uniqueName('race'))
    const answers = await Promise.all(names.map(username => register({ username, password, invite })))
    const statuses = answers.map(answer => answer.status).sort()
    expect(statuses).toEqual([201, ...Array(9).fill(403)])
    const db = dbOf(server)
    const made = await db.execute({
      sql: `select count(*) as n from users where username in (${names.map(() => '?').join(',')})`,
      args: names,
    })
    expect(Number(made.rows[0].n)).toBe(1)
  })

  test('a taken username leaves the invite usable', async () => {
    const { invite } = await newInvite()
    const taken = await register({ username: uniqueName('taken'), password, invite })
    expect(taken.status).toBe(201)
    const { invite: fresh } = await newInvite()
    const clash = await register({ username: taken.body.user.username, password, invite: fresh })
    expect(clash.status).toBe(409)
    expect((await register({ username: uniqueName(), password, invite: fresh })).status).toBe(201)
  })

  test('a look-alike of an existing username is refused with an invite too, and the invite stays usable', async () => {
    const { invite } = await newInvite()
    const latin = `a${uniqueName('look')}`
    expect((await register({ username: latin, password, invite })).status).toBe(201)
    const { id, invite: fresh } = await newInvite()
    const lookAlike = await register({ username: `\u0430${latin.slice(1)}`, password, invite: fresh })
    expect(lookAlike.status).toBe(409)
    expect(lookAlike.body.error.code).toBe('username_confusable')
    const listed = await admin.get('/api/v1/admin/invites')
    expect(listed.body.items.find((item: { id: number }) => item.id === id)).toMatchObject({ usedBy: null, isUsable: true })
    const other = await register({ username: uniqueName('other'), password, invite: fresh })
    expect(other.status).toBe(201)
    const again = await admin.get('/api/v1/admin/invites')
    expect(again.body.items.find((item: { id: number }) => item.id === id)).toMatchObject({ usedBy: other.body.user.id })
  })

  test('a revoked or expired invite is refused', async () => {
    const revoked = await newInvite()
    expect((await admin.delete(`/api/v1/admin/invites/${revoked.id}`)).status).toBe(204)
    expect((await admin.delete(`/api/v1/admin/invites/${revoked.id}`)).status).toBe(404)
    expect((await register({ username: uniqueName(), password, invite: revoked.invite })).status).toBe(403)
    const expired = await newInvite()
    // Seven days pass.
    await dbOf(server).execute({ sql: 'update invites set expires_at_ms = ? where id = ?', args: [Date.now() - 1, expired.id] })
    expect((await register({ username: uniqueName(), password, invite: expired.invite })).status).toBe(403)
  })

  test('the admin page lists an unused invite and revokes it', async () => {
    const { id, invite } = await newInvite()
    const listed = await admin.get('/admin/users?lang=en')
    expect(listed.text).toContain(`aria-label="Revoke invite ${id}"`)
    const revoked = await admin.post(`/admin/invites/${id}/delete`, new URLSearchParams({ _csrf: admin.csrfToken! }).toString(), {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(revoked.status).toBe(303)
    expect((await admin.get('/admin/users?lang=en')).text).not.toContain(`aria-label="Revoke invite ${id}"`)
    expect((await register({ username: uniqueName(), password, invite })).status).toBe(403)
  })

  test('the page moves the invite out of the address into a cookie, then registers with it', async () => {
    const { invite } = await newInvite()
    const opened = await fetch(`${server.url}/register?invite=${invite}&lang=en`, { redirect: 'manual' })
    expect(opened.status).toBe(303)
    expect(opened.headers.get('location')).toBe('/register?lang=en')
    const cookieLine = opened.headers.getSetCookie().find(line => line.startsWith('mp_invite='))!
    expect(cookieLine).toMatch(/HttpOnly/i)
    expect(cookieLine).toMatch(/Path=\/register/i)
    const cookie = cookieLine.split(';')[0]
    const form = await (await fetch(`${server.url}/register?lang=en`, { headers: { cookie } })).text()
    expect(form).toContain('name="password"')
    expect(form).toContain(`name="invite" value="${invite}"`)
    const withoutInvite = await (await fetch(`${server.url}/register?lang=ru`)).text()
    expect(withoutInvite).toContain('приглашени')
    expect(withoutInvite).not.toContain('name="password"')
    const username = uniqueName('page')
    const posted = await fetch(`${server.url}/register`, {
      method: 'POST',
      headers: { cookie },
      body: new URLSearchParams({ username, password, invite }),
      redirect: 'manual',
    })
    expect(posted.status).toBe(303)
    expect((await signIn(server.url, username)).answer.status).toBe(200)
  })
})

describe('admins manage accounts', () => {
  let server: TestServer
  let admin: Client
  let adminId: number

  beforeAll(async () => {
    const started = await serverWithAdmin('open')
    server = started.server
    const signedIn = await signIn(server.url, started.adminName)
    admin = signedIn.client
    adminId = signedIn.answer.body.user.id
  }, 30_000)
  afterAll(() => server.stop())

  test('every admin route answers 403 to a signed-in non-admin and 401 to nobody', async () => {
    const user = await signUp(server.url)
    const token = (await user.post('/api/v1/tokens', { name: 'script' })).body.token
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/v1/admin/users'],
      ['POST', '/api/v1/admin/users', { username: uniqueName() }],
      ['PATCH', `/api/v1/admin/users/${user.userId}`, { isAdmin: true }],
      ['POST', `/api/v1/admin/users/${adminId}/password-reset`],
      ['POST', '/api/v1/admin/invites'],
      ['GET', '/api/v1/admin/invites'],
      ['DELETE', '/api/v1/admin/invites/1'],
    ]
    for (const [method, path, body] of routes) {
      for (const client of [user, Client.withToken(server.url, token)]) {
        const answer = await client.request(method, path, { body })
        expect(`${method} ${path} ${answer.status} ${answer.body?.error?.code}`).toBe(`${method} ${path} 403 admin_only`)
      }
      expect((await new Client(server.url).request(method, path, { body })).status).toBe(401)
    }
    expect((await user.get('/api/v1/me')).body.user.isAdmin).toBe(false)
  })

  test('lists users page by page with why each admin is one, whether disabled, and their titles', async () => {
    const owner = await signUp(server.url, uniqueName('owner'))
    await owner.post('/api/v1/titles', { kind: 'movie', name: 'Сталкер' })
    await owner.post('/api/v1/titles', { kind: 'movie', name: 'Solaris' })
    const first = await admin.get('/api/v1/admin/users?page=1&perPage=1')
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({ page: 1, perPage: 1 })
    expect(first.body.total).toBeGreaterThanOrEqual(2)
    expect(first.body.items).toEqual([
      expect.objectContaining({ id: adminId, isAdmin: true, adminSource: 'admins.txt', disabled: false }),
    ])
    const found = await admin.get('/api/v1/admin/users?q=OWNER')
    const row = found.body.items.find((item: { id: number }) => item.id === owner.userId)
    expect(row).toMatchObject({ isAdmin: false, adminSource: null, disabled: false, titlesCount: 2 })
    expect(found.body.items.every((item: { username: string }) => item.username.startsWith('owner'))).toBe(true)
    expect((await admin.get('/api/v1/admin/users?perPage=101')).status).toBe(400)
  })

  test("disabling ends the user's cookie session and API token at once and refuses their sign-in", async () => {
    const username = uniqueName('gone')
    const user = await signUp(server.url, username)
    const token = (await user.post('/api/v1/tokens', { name: 'script' })).body.token
    const script = Client.withToken(server.url, token)
    expect((await user.get('/api/v1/me')).status).toBe(200)
    expect((await script.get('/api/v1/me')).status).toBe(200)
    const disabled = await admin.patch(`/api/v1/admin/users/${user.userId}`, { disabled: true })
    expect(disabled.status).toBe(200)
    expect(disabled.body.user).toMatchObject({ id: user.userId, disabled: true })
    expect((await user.get('/api/v1/me')).status).toBe(401)
    expect((await script.get('/api/v1/me')).status).toBe(401)
    const login = await signIn(server.url, username)
    expect(login.answer.status).toBe(403)
    expect(login.answer.body.error.code).toBe('account_disabled')
    expect((await signIn(server.url, username, 'wrong password')).answer.status).toBe(401)
    expect((await admin.patch(`/api/v1/admin/users/${user.userId}`, { disabled: false })).body.user.disabled).toBe(false)
    expect((await signIn(server.url, username)).answer.status).toBe(200)
    expect((await script.get('/api/v1/me')).status).toBe(401)
  })

  test('a session that outlived the disabling is not accepted', async () => {
    const user = await signUp(server.url)
    // As if a sign-in had raced the disabling: the mark is set, the session row survived.
    await dbOf(server).execute({ sql: "update users set disabled_at = '2026-01-01T00:00:00.000Z' where id = ?", args: [user.userId] })
    expect((await user.get('/api/v1/me')).status).toBe(401)
  })

  test('an admin cannot disable themselves; an admins.txt admin cannot be disabled, demoted or given a password link by a promoted one', async () => {
    const self = await admin.patch(`/api/v1/admin/users/${adminId}`, { disabled: true })
    expect(self.status).toBe(409)
    const helper = await signUp(server.url)
    expect((await admin.patch(`/api/v1/admin/users/${helper.userId}`, { isAdmin: true })).status).toBe(200)
    for (const change of [{ disabled: true }, { isAdmin: false }]) {
      const answer = await helper.patch(`/api/v1/admin/users/${adminId}`, change)
      expect(answer.status).toBe(409)
      expect(answer.body.error.code).toBe('admin_in_admins_file')
      expect(answer.body.error.message).toContain('admins.txt')
    }
    // Nor take over the first admin's account through a password link.
    const link = await helper.post(`/api/v1/admin/users/${adminId}/password-reset`)
    expect(link.status).toBe(409)
    expect(link.body.error.code).toBe('admin_in_admins_file')
    expect((await admin.post(`/api/v1/admin/users/${adminId}/password-reset`)).status).toBe(201)
    expect((await admin.get('/api/v1/me')).body.user.isAdmin).toBe(true)
    expect((await admin.patch('/api/v1/admin/users/999999', { disabled: true })).status).toBe(404)
    expect((await admin.patch(`/api/v1/admin/users/${helper.userId}`, {})).status).toBe(400)
  })

  test('promotion makes an admin everywhere (session, token, sign-in); demotion undoes it', async () => {
    const username = uniqueName('promoted')
    const user = await signUp(server.url, username)
    const script = Client.withToken(server.url, (await user.post('/api/v1/tokens', { name: 's' })).body.token)
    const promoted = await admin.patch(`/api/v1/admin/users/${user.userId}`, { isAdmin: true })
    expect(promoted.body.user).toMatchObject({ isAdmin: true, adminSource: 'promoted' })
    expect((await user.get('/api/v1/me')).body.user.isAdmin).toBe(true)
    expect((await script.get('/api/v1/me')).body.user.isAdmin).toBe(true)
    expect((await signIn(server.url, username)).answer.body.user.isAdmin).toBe(true)
    expect((await user.get('/api/v1/admin/users')).status).toBe(200)
    const stranger = await signUp(server.url)
    const title = await stranger.post('/api/v1/titles', { kind: 'movie', name: 'Not theirs' })
    expect((await script.patch(`/api/v1/titles/${title.body.title.id}`, { year: 1999 })).status).toBe(200)
    expect((await user.patch(`/api/v1/admin/users/${user.userId}`, { isAdmin: false })).status).toBe(409)
    expect((await admin.patch(`/api/v1/admin/users/${user.userId}`, { isAdmin: false })).body.user.isAdmin).toBe(false)
    expect((await user.get('/api/v1/admin/users')).status).toBe(403)
    expect((await script.get('/api/v1/me')).body.user.isAdmin).toBe(false)
  })

  test("a password link works once, only the newest one works, and using it ends the user's sessions", async () => {
    const username = uniqueName('forgot')
    const user = await signUp(server.url, username)
    const older = await admin.post(`/api/v1/admin/users/${user.userId}/password-reset`)
    expect(older.status).toBe(201)
    const newer = await admin.post(`/api/v1/admin/users/${user.userId}/password-reset`)
    expect(newer.body.url).toStartWith(`${server.url}/password-reset?token=`)
    const anonymous = new Client(server.url)
    const stale = await anonymous.post('/api/v1/auth/password-reset', {
      token: secretOf(older.body.url, 'token'),
      password: 'new words 42',
    })
    expect(stale.status).toBe(400)
    const token = secretOf(newer.body.url, 'token')
    expect((await anonymous.post('/api/v1/auth/password-reset', { token, password: 'new words 42' })).status).toBe(204)
    expect((await user.get('/api/v1/me')).status).toBe(401)
    expect((await signIn(server.url, username)).answer.status).toBe(401)
    expect((await signIn(server.url, username, 'new words 42')).answer.status).toBe(200)
    expect((await anonymous.post('/api/v1/auth/password-reset', { token, password: 'third words 7' })).status).toBe(400)
    expect((await admin.post('/api/v1/admin/users/999999/password-reset')).status).toBe(404)
  })

  test('the admin routes are in the OpenAPI document with their security schemes', async () => {
    const document = await (await fetch(`${server.url}/api/v1/openapi.json`)).json()
    const operations = [
      ['get', '/api/v1/admin/users'],
      ['post', '/api/v1/admin/users'],
      ['patch', '/api/v1/admin/users/{id}'],
      ['post', '/api/v1/admin/users/{id}/password-reset'],
      ['post', '/api/v1/admin/invites'],
      ['get', '/api/v1/admin/invites'],
      ['delete', '/api/v1/admin/invites/{id}'],
    ]
    for (const [method, path] of operations) expect(document.paths[path]?.[method]?.security).toEqual([{ bearer: [] }, { session: [] }])
    expect(document.paths['/api/v1/auth/password-reset']?.post).toBeDefined()
  })
})
