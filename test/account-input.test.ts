// Bad input that used to reach a 500 or a foreign link (issue 11): `next` with control
// characters, the 404 page's language links, confusable and invisible names, and the
// CSRF token of the upload form without JavaScript.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { addTitle, countRows, expectError, openServerDatabase } from './helpers/catalogue'
import { Client, signUp, uniqueName } from './helpers/client'
import { credentialsOf, filesIn, randomVideo, uploadsDir } from './helpers/media'
import { openRaw, rawRequest } from './helpers/raw-http'
import { type TestServer, startServer } from './helpers/server'

let server: TestServer
const password = 'correct horse 1'

beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.stop())

function formBody(fields: Record<string, string>) {
  return new URLSearchParams(fields).toString()
}
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' }

async function signInWithNext(next: string) {
  const username = uniqueName('next')
  await signUp(server.url, username)
  const browser = new Client(server.url)
  const answer = await browser.post('/login', formBody({ username, password, next }), { headers: formHeaders })
  return { browser, answer }
}

describe('the next parameter', () => {
  test('POST /login with a line break in next signs in and goes to /', async () => {
    const { browser, answer } = await signInWithNext('/\n/x')
    expect(answer.status).toBe(303)
    expect(answer.headers.get('location')).toBe('/')
    expect((await browser.get('/api/v1/me')).status).toBe(200)
  })

  test('a tab in next never becomes a Location a lenient client reads as //host', async () => {
    const { answer } = await signInWithNext('/\t/host')
    expect(answer.status).toBe(303)
    expect(answer.headers.get('location')).toBe('/')
  })

  test('GET /login?next=/%0Ax and /register?next=/%00x send a signed-in visitor to /', async () => {
    const browser = await signUp(server.url)
    for (const path of ['/login?next=/%0Ax', '/register?next=/%00x', '/login?next=/%09/host']) {
      const answer = await browser.get(path)
      expect({ path, status: answer.status, location: answer.headers.get('location') }).toEqual({ path, status: 303, location: '/' })
    }
  })

  test('the sign-in page echoes only a safe next in its hidden field', async () => {
    for (const next of [
      '/%0Ax',
      '/%00x',
      '/%09/host',
      '/.//evil.example',
      '//evil.example',
      '/%5Cevil.example',
      'https://evil.example/',
    ]) {
      const answer = await new Client(server.url).get(`/login?next=${next}`)
      expect(answer.status).toBe(200)
      expect({ next, field: /name="next" value="([^"]*)"/.exec(answer.text)?.[1] }).toEqual({ next, field: '/' })
    }
  })

  test('refuses foreign and invisible targets, keeps our own paths', async () => {
    const cases: [string, string][] = [
      ['/.//evil.example/x', '/'],
      ['/%2F/evil.example', '/'],
      ['/\\evil.example', '/'],
      ['/x\u202e/y', '/'],
      ['/x\u200b', '/'],
      ['/titles/7?reviews=2#reviews', '/titles/7?reviews=2#reviews'],
      ['/?q=Брат', '/?q=%D0%91%D1%80%D0%B0%D1%82'],
    ]
    for (const [next, expected] of cases) {
      const { answer } = await signInWithNext(next)
      expect({ next, location: answer.headers.get('location') }).toEqual({ next, location: expected })
    }
  })
})

describe('a form posted after the session ended', () => {
  // The session ran out in another tab, then a form is sent: after signing in the person
  // must come back to the page the form was on, not to the form's POST-only address.
  const reviewForm = formBody({ rating: '7', body: 'Хорошо' })

  test('a signed-out form post goes to sign in, then back to the page it was sent from', async () => {
    const titlePath = `/titles/${(await addTitle(await signUp(server.url), { name: 'Брат' })).id}`
    for (const [from, next] of [
      [`${server.url}${titlePath}?tab=reviews`, `${titlePath}?tab=reviews`],
      ['https://evil.example/titles/1', '/'],
      [null, '/'],
    ] as const) {
      const answer = await new Client(server.url).post(`${titlePath}/reviews`, reviewForm, {
        headers: { ...formHeaders, ...(from ? { referer: from } : {}) },
      })
      expect({ from, status: answer.status, location: answer.headers.get('location') }).toEqual({
        from,
        status: 303,
        location: `/login?${new URLSearchParams({ next })}`,
      })
    }
  })

  test('an htmx post is sent back to the page htmx names in HX-Current-URL', async () => {
    const titlePath = `/titles/${(await addTitle(await signUp(server.url), { name: 'Брат 2' })).id}`
    const answer = await new Client(server.url).post(`${titlePath}/rating`, formBody({ rating: '8' }), {
      headers: { ...formHeaders, 'hx-request': 'true', 'hx-current-url': `${server.url}${titlePath}` },
    })
    expect({ status: answer.status, redirect: answer.headers.get('hx-redirect') }).toEqual({
      status: 204,
      redirect: `/login?${new URLSearchParams({ next: titlePath })}`,
    })
  })

  test('a page asked for with GET still comes back to itself', async () => {
    const answer = await new Client(server.url).get('/me/uploads?page=2')
    expect(answer.headers.get('location')).toBe(`/login?${new URLSearchParams({ next: '/me/uploads?page=2' })}`)
  })
})

describe('links built from the request URL', () => {
  test('the 404 page of //evil.example/x links only to paths of this site', async () => {
    const answer = await rawRequest(server.url, ['GET //evil.example/x HTTP/1.1', 'Accept-Language: en'])
    expect(answer.status).toBe(404)
    const links = [...answer.body.matchAll(/<a [^>]*href="([^"]*)"/g)].map(match => match[1])
    expect(links.filter(href => href.includes('lang='))).toEqual(['/evil.example/x?lang=en', '/evil.example/x?lang=ru'])
    for (const href of links) expect(href).not.toMatch(/^\/\/|^[a-z]+:/i)
  })
})

describe('the CSRF token of the upload form without JavaScript', () => {
  function uploadForm(fields: [string, string][]) {
    const form = new FormData()
    for (const [name, value] of fields) form.append(name, value)
    form.append('file', new File([randomVideo(64 * 1024)], 'clip.mp4', { type: 'video/mp4' }))
    return form
  }

  test("rides in a hidden field before the file, not in the form's action", async () => {
    const owner = await signUp(server.url)
    const titleId = (await addTitle(owner, { name: 'Форма' })).id
    const page = await owner.get(`/titles/${titleId}`)
    const form = /<form[^>]*enctype="multipart\/form-data"[^>]*>[\s\S]*?<\/form>/.exec(page.text)?.[0] ?? ''
    expect(/action="([^"]*)"/.exec(form)?.[1]).toBe(`/titles/${titleId}/video`)
    expect(form.indexOf(`name="_csrf" value="${owner.csrfToken}"`)).toBeGreaterThan(0)
    expect(form.indexOf(`name="_csrf"`)).toBeLessThan(form.indexOf('type="file"'))
  })

  test('refuses a post without the field, with a wrong one, or with the token in the query; stores nothing', async () => {
    const owner = await signUp(server.url)
    const titleId = (await addTitle(owner, { name: 'Подделка' })).id
    const path = `/titles/${titleId}/video`
    const attempts: [string, [string, string][]][] = [
      [path, []],
      [path, [['_csrf', 'x'.repeat(owner.csrfToken!.length)]]],
      [`${path}?_csrf=${owner.csrfToken}`, []],
    ]
    for (const [target, fields] of attempts) {
      const answer = await owner.post(target, uploadForm(fields), { sendCsrf: false })
      expect({ target, fields, status: answer.status }).toEqual({ target, fields, status: 403 })
    }
    expect(filesIn(uploadsDir(server))).toEqual([])
    expect(filesIn(server.mediaDir).filter(name => /^\d+$/.test(name))).toEqual([])
    const title = await owner.get(`/api/v1/titles/${titleId}`)
    expect(title.body.title.media).toBeNull()
    // The field, first, is what the page's form sends.
    const sent = await owner.post(path, uploadForm([['_csrf', owner.csrfToken!]]), { sendCsrf: false })
    expect(sent.status).toBe(303)
  })
})

async function register(username: string) {
  return new Client(server.url).post('/api/v1/auth/register', { username, password })
}

describe('look-alike usernames (UTS #39 skeleton)', () => {
  test('refuses аdmin0 with a Cyrillic а next to admin0, on the API and the page', async () => {
    const latin = uniqueName('admin')
    expect((await register(latin)).status).toBe(201)
    const cyrillic = `а${latin.slice(1)}`
    const answer = await register(cyrillic)
    expectError(answer, 409, 'username_confusable')
    expect(answer.body.error.message).toContain('looks like an existing name')
    expectError(await register(`А${latin.slice(1).toUpperCase()}`), 409, 'username_confusable')
    const page = await new Client(server.url).post('/register', formBody({ username: cyrillic, password, next: '/' }), {
      headers: { ...formHeaders, 'accept-language': 'en' },
    })
    expect(page.status).toBe(409)
    expect(page.text).toContain('This username looks like an existing one')
  })

  test('of two look-alike names registered at the same instant, only one gets in', async () => {
    for (let pair = 0; pair < 4; pair++) {
      const latin = uniqueName('race')
      const answers = await Promise.all([register(latin), register(latin.replace('a', 'а'))])
      expect(answers.map(answer => answer.status).sort()).toEqual([201, 409])
    }
  })

  test('older rows get their skeleton at start-up, so a look-alike of them is refused', async () => {
    const own = await startServer()
    try {
      const latin = uniqueName('old')
      expect((await new Client(own.url).post('/api/v1/auth/register', { username: latin, password })).status).toBe(201)
      const db = openServerDatabase(own)
      await db.execute('UPDATE users SET username_skeleton = NULL')
      db.close()
      await own.kill()
      const again = await startServer({ dir: own.dir })
      own.stop = again.stop
      expect(await countRows(again, 'SELECT count(*) FROM users WHERE username_skeleton IS NULL')).toBe(0)
      const lookAlike = await new Client(again.url).post('/api/v1/auth/register', { username: latin.replace('o', 'о'), password })
      expectError(lookAlike, 409, 'username_confusable')
    } finally {
      await own.stop()
    }
  })
})

describe('bidi controls and zero-width characters', () => {
  test('are stripped from usernames; a name of only them is refused naming the field', async () => {
    const name = uniqueName('zw')
    const answer = await register(`${name.slice(0, 3)}\u200b${name.slice(3)}\u202e`)
    expect(answer.status).toBe(201)
    expect(answer.body.user.username).toBe(name)
    expectError(await register(`${name}\u2066`), 409, 'username_taken')
    expectError(await register('ab\u200b\u200d'), 400, undefined, 'username')
  })

  test('are stripped from title, original, genre, season and episode names', async () => {
    const owner = await signUp(server.url)
    const title = await addTitle(owner, {
      kind: 'series',
      name: 'Film\u202egnp.exe\u200b',
      originalName: '\u2067Оригинал\u2069',
      genres: ['\ufeffDrama\u200c'],
    })
    expect(title).toMatchObject({ name: 'Filmgnp.exe', originalName: 'Оригинал', genres: ['Drama'] })
    const season = await owner.post(`/api/v1/titles/${title.id}/seasons`, { number: 1, name: 'Сезон\u200f 1\u061c' })
    expect(season.body.season.name).toBe('Сезон 1')
    const episode = await owner.post(`/api/v1/seasons/${season.body.season.id}/episodes`, { number: 1, name: '\u202aПилот\u202c' })
    expect(episode.body.episode.name).toBe('Пилот')
    const patched = await owner.patch(`/api/v1/titles/${title.id}`, { name: 'Новое\u2060 имя' })
    expect(patched.body.title.name).toBe('Новое имя')
  })

  test('a name of only invisible characters is a 400 naming the field', async () => {
    const owner = await signUp(server.url)
    expectError(await owner.post('/api/v1/titles', { kind: 'movie', name: '\u202e\u200b' }), 400, 'invalid_input', 'name')
    expectError(
      await owner.post('/api/v1/titles', { kind: 'movie', name: 'Ok', originalName: '\u200d' }),
      400,
      'invalid_input',
      'originalName',
    )
    expectError(
      await owner.post('/api/v1/titles', { kind: 'movie', name: 'Ok', genres: ['\u2066\u2069'] }),
      400,
      'invalid_input',
      'genres[0]',
    )
    const title = await addTitle(owner, { name: 'Сериал', kind: 'series' })
    expectError(await owner.post(`/api/v1/titles/${title.id}/seasons`, { number: 1, name: '\u200e' }), 400, 'invalid_input', 'name')
  })

  test('review bodies keep them but are shown isolated (dir=auto)', async () => {
    const owner = await signUp(server.url)
    const title = await addTitle(owner, { name: 'Отзывы' })
    const review = await owner.post(`/api/v1/titles/${title.id}/reviews`, { body: 'Хорошо \u202eоньлохорп' })
    expect(review.body.review.body).toBe('Хорошо \u202eоньлохорп')
    const page = await owner.get(`/titles/${title.id}`)
    expect(page.text).toMatch(/<p class="review-body" dir="auto">Хорошо \u202eоньлохорп<\/p>/)
  })
})

describe('an upload form cut short', () => {
  test('in a file part other than the video, the server keeps running', async () => {
    const owner = await signUp(server.url)
    const titleId = (await addTitle(owner, { name: 'Обрыв' })).id
    const connection = await openRaw(server.url)
    const headers = { ...credentialsOf(owner), host: new URL(server.url).host }
    await connection.write(
      [
        `POST /titles/${titleId}/video HTTP/1.1`,
        'Content-Type: multipart/form-data; boundary=cut',
        'Content-Length: 100000',
        ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
        '',
        '',
      ].join('\r\n'),
    )
    await connection.write(`--cut\r\nContent-Disposition: form-data; name="other"; filename="o.bin"\r\n\r\n${'x'.repeat(5000)}`)
    await Bun.sleep(200)
    connection.socket.destroy()
    await Bun.sleep(300)
    expect(server.process.exitCode).toBeNull()
    expect((await fetch(`${server.url}/api/v1/titles/${titleId}`)).status).toBe(200)
  })
})
