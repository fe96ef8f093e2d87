// Browsing=members (issue 15, private instances): with it, every route kind refuses anyone
// not signed in (pages send them to sign in and back, the API, the event streams and every
// media file answer 401), signed-in users get through, and media files go out
// `Cache-Control: private`. The routes are not listed by hand: every GET route the app has
// is asked for, so a route added later is covered too. With the default, nothing changes.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createApp } from '../src/app'
import { AccountThrottle } from '../src/auth/throttle'
import { parseAdmins } from '../src/config'
import { parseConfig } from '../src/config/ini'
import { openDatabase } from '../src/db/client'
import { migrateDatabase } from '../src/db/migrate'
import { storeOf } from '../src/deps'
import { addEpisode, addMedia, addSeason, addTitle } from './helpers/catalogue'
import { Client, signUp } from './helpers/client'
import { type TestServer, startServer } from './helpers/server'

// Every file kind of the layout a media folder serves.
const mediaFiles = [
  'master.m3u8',
  'stream_0.m3u8',
  'stream_0/data0000.ts',
  'audio_en.m3u8',
  'audio_en/data0000.ts',
  'subs_en.m3u8',
  'subs/en.vtt',
  'poster.jpg',
  'thumbs.vtt',
  'thumbs/sprite0001.jpg',
]

// What anyone may open on a members-only server: signing in, signing up (and invites),
// setting a password from a link, the browser files, the API docs page (a static shell:
// the document it loads needs an account).
const openGetPaths = [/^\/login$/, /^\/register$/, /^\/password-reset$/, /^\/assets\//, /^\/api\/docs$/]

type Route = { method: string; path: string }

// The routes of the app itself, built in this process on a scratch folder (only to read
// its route table; the requests go to the real server).
// (Its housekeeping timers use the scratch database, removed in afterAll.)
async function appRoutes(dir: string): Promise<Route[]> {
  const config = parseConfig(`MediaDataPath=${JSON.stringify(join(dir, 'media'))}\nBrowsing=members\n`, join(dir, 'server.ini'))
  await migrateDatabase(config.database)
  const { db } = openDatabase(config.database)
  const app = createApp({
    config,
    db,
    admins: parseAdmins('', 'admins.txt'),
    throttle: new AccountThrottle(config),
    store: storeOf(db, config),
  })
  return app.routes.map(route => ({ method: route.method, path: route.path }))
}

let server: TestServer
let member: Client & { userId: number }
let tokenClient: Client
let ids: Record<string, number>
let getRoutes: string[]
const scratchDir = mkdtempSync(join(tmpdir(), 'moviepoint-routes-'))

// A route template with real ids of this server: `:id` after `/titles` is a title's, etc.
function concrete(path: string): string[] {
  const filled = path.replace(/\/([a-z-]+)\/:(\w+)/g, (_, noun: string) => `/${noun}/${ids[noun] ?? 1}`)
  if (!filled.endsWith('*')) return [filled]
  return mediaFiles.map(file => filled.replace(/\*$/, file))
}

const noRedirect = { redirect: 'manual' } as const

// Only the status and headers: an event stream would never end.
async function ask(path: string, headers: Record<string, string> = {}) {
  const controller = new AbortController()
  const response = await fetch(server.url + path, { ...noRedirect, headers, signal: controller.signal })
  const body = response.headers.get('content-type')?.startsWith('text/event-stream') ? '' : await response.text()
  controller.abort()
  return { status: response.status, location: response.headers.get('location'), body, headers: response.headers }
}

const signedInHeaders = () => ({ cookie: [...member.cookies].map(([k, v]) => `${k}=${v}`).join('; ') })

beforeAll(async () => {
  server = await startServer({ ini: { Browsing: 'members' }, admins: '1\n' })
  member = await signUp(server.url)
  const token = await member.post('/api/v1/tokens', { name: 'script' })
  tokenClient = Client.withToken(server.url, token.body.token)
  const title = await addTitle(member, { name: 'Брат', kind: 'series' })
  const season = await addSeason(member, title.id)
  const episode = await addEpisode(member, season.id)
  const movie = await addTitle(member, { name: 'Брат 2' })
  const media = await addMedia(server, { ownerId: member.userId, titleId: movie.id })
  for (const file of mediaFiles) {
    mkdirSync(dirname(join(media.folder, file)), { recursive: true })
    writeFileSync(join(media.folder, file), file.endsWith('.m3u8') ? '#EXTM3U\n#EXT-X-ENDLIST\n' : 'bytes')
  }
  const review = await member.post(`/api/v1/titles/${movie.id}/reviews`, { body: 'Хороший фильм, смотрел дважды.' })
  ids = {
    titles: movie.id,
    seasons: season.id,
    episodes: episode.id,
    media: media.id,
    reviews: review.body.review?.id ?? 1,
    users: member.userId,
  }
  getRoutes = [...new Set((await appRoutes(scratchDir)).filter(route => route.method === 'GET').map(route => route.path))]
})

afterAll(async () => {
  await server?.stop()
  rmSync(scratchDir, { recursive: true, force: true })
})

describe('Browsing=members', () => {
  test('the route table reaches every kind: pages, the API, event streams, media files, and every GET of the OpenAPI document', async () => {
    const document = await (await fetch(`${server.url}/api/v1/openapi.json`, { headers: signedInHeaders() })).json()
    const documented = Object.entries(document.paths as Record<string, Record<string, unknown>>)
      .filter(([, operations]) => 'get' in operations)
      .map(([path]) => path.replace(/\{(\w+)\}/g, ':$1'))
    expect(documented.length).toBeGreaterThan(10)
    expect(documented.filter(path => !getRoutes.includes(path))).toEqual([])
    for (const path of ['/', '/titles/:id', '/api/v1/titles', '/api/v1/media/:id/events', '/media/:mediaId/*', '/api/v1/openapi.json'])
      expect(getRoutes).toContain(path)
  })

  test('anyone not signed in is refused on every GET route: pages redirect to sign in keeping the path, the rest answer 401', async () => {
    const wrong: string[] = []
    let asked = 0
    for (const template of getRoutes) {
      if (openGetPaths.some(pattern => pattern.test(template))) continue
      for (const path of concrete(template)) {
        const answer = await ask(path)
        asked += 1
        const isPage = !path.startsWith('/api/') && !path.startsWith('/media/')
        const refused = isPage
          ? answer.status === 303 && answer.location === `/login?${new URLSearchParams({ next: path })}`
          : answer.status === 401 && JSON.parse(answer.body).error?.code === 'unauthorized'
        if (!refused) wrong.push(`${path}: ${answer.status} ${answer.location ?? answer.body.slice(0, 80)}`)
      }
    }
    expect(wrong).toEqual([])
    expect(asked).toBeGreaterThan(40)
  })

  test('a signed-in user (session cookie or API token) gets through on every GET route', async () => {
    const wrong: string[] = []
    // Runner routes take runner and job tokens, never an account's (test/runner-protocol.test.ts).
    for (const template of getRoutes.filter(path => !path.startsWith('/api/v1/runners/'))) {
      for (const path of concrete(template)) {
        for (const [via, headers] of [
          ['cookie', signedInHeaders()],
          ['token', { authorization: `Bearer ${tokenClient.bearer}` }],
        ] as const) {
          // Pages are for browsers; a token is for the API and the media files.
          if (via === 'token' && !path.startsWith('/api/') && !path.startsWith('/media/')) continue
          const answer = await ask(path, headers)
          const isRefusal = answer.status === 401 || (answer.status === 303 && answer.location?.startsWith('/login'))
          if (isRefusal || answer.status >= 500) wrong.push(`${via} ${path}: ${answer.status}`)
        }
      }
    }
    expect(wrong).toEqual([])
  })

  test('the pages of signing in stay open, and signing in returns to the page asked for', async () => {
    for (const path of ['/login', '/register', '/password-reset']) expect((await ask(path)).status).not.toBe(303)
    expect((await ask('/login')).status).toBe(200)
    const asked = `/titles/${ids.titles}`
    const refused = await ask(asked)
    expect(refused.location).toBe(`/login?next=${encodeURIComponent(asked)}`)
    const browser = new Client(server.url)
    const login = await browser.get(refused.location as string)
    expect(login.text).toContain(`name="next" value="${asked}"`)
    const username = (await member.get('/api/v1/me')).body.user.username
    const form = new URLSearchParams({ username, password: 'correct horse 1', next: asked })
    const signedIn = await browser.post('/login', form.toString(), { headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    expect({ status: signedIn.status, location: signedIn.headers.get('location') }).toEqual({ status: 303, location: asked })
    expect((await browser.get(asked)).status).toBe(200)
  })

  test('anonymous sign-up and sign-in through the API still work', async () => {
    const fresh = await signUp(server.url)
    expect((await fresh.get('/api/v1/titles')).status).toBe(200)
  })

  test('media files go out private with the same ages, never public or immutable', async () => {
    const headers = signedInHeaders()
    const cacheOf = async (file: string) => (await ask(`/media/${ids.media}/${file}`, headers)).headers.get('cache-control')
    expect(await cacheOf('stream_0/data0000.ts')).toBe('private, max-age=31536000')
    expect(await cacheOf('poster.jpg')).toBe('private, max-age=31536000')
    expect(await cacheOf('subs/en.vtt')).toBe('private, max-age=31536000')
    expect(await cacheOf('master.m3u8')).toBe('private, no-cache')
    expect(await cacheOf('stream_0.m3u8')).toBe('private, max-age=60')
  })

  test('a revoked API token or a signed-out session no longer opens media files, at once', async () => {
    const other = await signUp(server.url)
    const made = await other.post('/api/v1/tokens', { name: 'player' })
    const path = `/media/${ids.media}/stream_0/data0000.ts`
    const cookie = { cookie: [...other.cookies].map(([k, v]) => `${k}=${v}`).join('; ') }
    const bearer = { authorization: `Bearer ${made.body.token}` }
    expect((await ask(path, cookie)).status).toBe(200)
    expect((await ask(path, bearer)).status).toBe(200)
    expect((await other.delete(`/api/v1/tokens/${made.body.id}`)).status).toBe(204)
    expect((await other.post('/api/v1/auth/logout')).status).toBeLessThan(300)
    expect((await ask(path, cookie)).status).toBe(401)
    expect((await ask(path, bearer)).status).toBe(401)
  })
})

describe('the Browsing key', () => {
  test('public by default; members; anything else stops start-up naming the key', () => {
    const file = join(scratchDir, 'server.ini')
    const media = `MediaDataPath=${JSON.stringify(join(scratchDir, 'media'))}\n`
    expect(parseConfig(media, file).browsing).toBe('public')
    expect(parseConfig(`${media}Browsing=Members\n`, file).browsing).toBe('members')
    expect(() => parseConfig(`${media}Browsing=private\n`, file)).toThrow('server.ini: Browsing: "private" is not one of public, members')
  })
})

describe('Browsing=public (the default)', () => {
  let open: TestServer
  beforeAll(async () => {
    open = await startServer()
  })
  afterAll(async () => {
    await open?.stop()
  })

  test('anyone browses, and media files stay public and immutable for shared caches', async () => {
    const owner = await signUp(open.url)
    const title = await addTitle(owner, { name: 'Открытый' })
    const media = await addMedia(open, { ownerId: owner.userId, titleId: title.id })
    expect((await fetch(`${open.url}/`, noRedirect)).status).toBe(200)
    expect((await fetch(`${open.url}/api/v1/titles`)).status).toBe(200)
    const segment = await fetch(`${open.url}/media/${media.id}/stream_0/data0000.ts`)
    expect(segment.status).toBe(200)
    expect(segment.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
  })
})
