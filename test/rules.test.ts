// Each rule is declared once (src/auth/rules.ts, src/catalogue/rules.ts, src/reviews/rules.ts)
// and everything that enforces or states it follows: the API and the page forms accept a
// value at the limit and refuse one past it, the form controls carry the limit as HTML
// attributes, and the messages quote the rule's numbers. Changing a number in a rules file
// keeps this test green; a copy of a limit left behind anywhere makes it fail.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { passwordRule, tokenNameRule, usernameRule } from '../src/auth/rules'
import * as catalogue from '../src/catalogue/rules'
import { reviewBodyRule, scoreRule } from '../src/reviews/rules'
import { addSeason, addTitle } from './helpers/catalogue'
import { Client, signUp, uniqueName } from './helpers/client'
import { type TestServer, startServer } from './helpers/server'

let server: TestServer
let user: Client & { userId: number }

beforeAll(async () => {
  server = await startServer({ ini: { MaxSignUpsPerHour: 1000 } })
  user = await signUp(server.url)
})

afterAll(async () => {
  await server?.stop()
})

function postForm(client: Client, path: string, form: Record<string, string>) {
  return client.post(path, new URLSearchParams(form).toString(), {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  })
}

// The attributes of the element with this id, as rendered.
function attributesOf(html: string, id: string): Record<string, string> {
  const tag = new RegExp(`<(?:input|textarea|select)\\b[^>]*\\bid="${id}"[^>]*>`).exec(html)?.[0]
  if (!tag) throw new Error(`no control #${id}`)
  return Object.fromEntries([...tag.matchAll(/([\w-]+)(?:="([^"]*)")?/g)].slice(1).map(([, name, value]) => [name, value ?? '']))
}

// The text of a field's error message (`<small id="…-error">`).
function errorOf(html: string, field: string): string {
  return new RegExp(`<small id="${field}-error"[^>]*>([^<]*)</small>`).exec(html)?.[1] ?? ''
}

const unescapeHtml = (text: string) => text.replaceAll('&amp;', '&').replaceAll('&quot;', '"')
const name = (length: number) => `${uniqueName('u')}${'x'.repeat(64)}`.slice(0, length)

describe('username and password rules', () => {
  test('the API accepts a username at the maximum and refuses one over it', async () => {
    const register = (username: string) =>
      new Client(server.url).post('/api/v1/auth/register', { username, password: 'p'.repeat(passwordRule.minLength) })
    expect((await register(name(usernameRule.maxLength + 1))).status).toBe(400)
    expect((await register(name(usernameRule.maxLength))).status).toBe(201)
    expect((await register('ab!'.padEnd(usernameRule.minLength, 'c'))).status).toBe(400)
  })

  test('the API accepts a password at the minimum and refuses one under it', async () => {
    const register = (password: string) => new Client(server.url).post('/api/v1/auth/register', { username: uniqueName(), password })
    expect((await register('p'.repeat(passwordRule.minLength - 1))).status).toBe(400)
    expect((await register('p'.repeat(passwordRule.maxLength + 1))).status).toBe(400)
    expect((await register('p'.repeat(passwordRule.minLength))).status).toBe(201)
  })

  test('the registration page refuses a username over the maximum, saying the rule, and accepts one at it', async () => {
    const over = await postForm(new Client(server.url), '/register', {
      username: name(usernameRule.maxLength + 1),
      password: 'p'.repeat(passwordRule.minLength),
    })
    expect(over.status).toBe(400)
    expect(errorOf(over.text, 'username')).toContain(String(usernameRule.minLength))
    expect(errorOf(over.text, 'username')).toContain(String(usernameRule.maxLength))
    const atMax = await postForm(new Client(server.url), '/register', {
      username: name(usernameRule.maxLength),
      password: 'p'.repeat(passwordRule.minLength),
    })
    expect(atMax.status).toBe(303)
  })

  test('the registration page refuses a short password, saying the minimum', async () => {
    const short = await postForm(new Client(server.url), '/register', {
      username: uniqueName(),
      password: 'p'.repeat(passwordRule.minLength - 1),
    })
    expect(short.status).toBe(400)
    expect(errorOf(short.text, 'password')).toContain(String(passwordRule.minLength))
    const long = await postForm(new Client(server.url), '/register', {
      username: uniqueName(),
      password: 'p'.repeat(passwordRule.maxLength + 1),
    })
    expect(errorOf(long.text, 'password')).toContain(String(passwordRule.maxLength))
  })

  test('the registration form carries the rules as attributes, and its hints quote them', async () => {
    const html = (await new Client(server.url).get('/register')).text
    const username = attributesOf(html, 'username')
    expect({ minlength: username.minlength, maxlength: username.maxlength, pattern: unescapeHtml(username.pattern ?? '') }).toEqual({
      minlength: String(usernameRule.minLength),
      maxlength: String(usernameRule.maxLength),
      pattern: usernameRule.pattern,
    })
    // The pattern means in the browser what it means on the server.
    expect(new RegExp(`^(?:${usernameRule.pattern})$`, 'v').test('Иван_2.0-x')).toBe(true)
    const password = attributesOf(html, 'password')
    expect({ minlength: password.minlength, maxlength: password.maxlength }).toEqual({
      minlength: String(passwordRule.minLength),
      maxlength: String(passwordRule.maxLength),
    })
    expect(html).toContain(`id="username-hint" class="hint">${usernameRule.minLength} `)
    expect(html).toMatch(new RegExp(`id="password-hint" class="hint">[^<]*\\b${passwordRule.minLength}\\b`))
  })

  test('the password forms of the account page carry the password rule', async () => {
    const html = (await user.get('/account')).text
    expect(attributesOf(html, 'new-password')).toMatchObject({
      minlength: String(passwordRule.minLength),
      maxlength: String(passwordRule.maxLength),
    })
    expect(attributesOf(html, 'current-password').maxlength).toBe(String(passwordRule.maxLength))
    const tokens = (await user.get('/account/tokens')).text
    expect(attributesOf(tokens, 'token-name').maxlength).toBe(String(tokenNameRule.maxLength))
  })
})

describe('catalogue rules', () => {
  test('the API and the title form accept a name at the maximum and refuse one over it', async () => {
    const api = (length: number) => user.post('/api/v1/titles', { kind: catalogue.titleKinds[0], name: 'n'.repeat(length) })
    expect((await api(catalogue.nameRule.maxLength + 1)).status).toBe(400)
    expect((await api(catalogue.nameRule.maxLength)).status).toBe(201)
    const form = (length: number) => postForm(user, '/titles', { kind: catalogue.titleKinds[0], name: 'n'.repeat(length) })
    expect((await form(catalogue.nameRule.maxLength + 1)).status).toBe(400)
    expect((await form(catalogue.nameRule.maxLength)).status).toBe(303)
  })

  test('the API and the title form agree on the year range, and the message quotes it', async () => {
    for (const [year, isValid] of [
      [catalogue.yearRule.minimum - 1, false],
      [catalogue.yearRule.minimum, true],
      [catalogue.yearRule.maximum, true],
      [catalogue.yearRule.maximum + 1, false],
    ] as const) {
      const api = await user.post('/api/v1/titles', { kind: catalogue.titleKinds[0], name: 'Год', year })
      const form = await postForm(user, '/titles', { kind: catalogue.titleKinds[0], name: 'Год', year: String(year) })
      expect({ year, api: api.status, form: form.status }).toEqual({ year, api: isValid ? 201 : 400, form: isValid ? 303 : 400 })
      if (!isValid) expect(errorOf(form.text, 'year')).toContain(`${catalogue.yearRule.minimum} to ${catalogue.yearRule.maximum}`)
    }
  })

  test('the title form refuses one genre too many and one too long, quoting the limits', async () => {
    const genres = (count: number, length = 5) => Array.from({ length: count }, (_, i) => `${i}`.padEnd(length, 'g')).join(', ')
    const tooMany = await postForm(user, '/titles', {
      kind: catalogue.titleKinds[0],
      name: 'Жанры',
      genres: genres(catalogue.genresRule.maxItems + 1),
    })
    expect(errorOf(tooMany.text, 'genres')).toContain(String(catalogue.genresRule.maxItems))
    const tooLong = await postForm(user, '/titles', {
      kind: catalogue.titleKinds[0],
      name: 'Жанры',
      genres: genres(1, catalogue.genreRule.maxLength + 1),
    })
    expect(errorOf(tooLong.text, 'genres')).toContain(String(catalogue.genreRule.maxLength))
    const atLimits = await postForm(user, '/titles', {
      kind: catalogue.titleKinds[0],
      name: 'Жанры',
      genres: genres(catalogue.genresRule.maxItems, catalogue.genreRule.maxLength),
    })
    expect(atLimits.status).toBe(303)
  })

  test('the title form carries the rules as attributes and offers every kind', async () => {
    const html = (await user.get('/titles/new')).text
    expect(attributesOf(html, 'name').maxlength).toBe(String(catalogue.nameRule.maxLength))
    expect(attributesOf(html, 'originalName').maxlength).toBe(String(catalogue.optionalNameRule.maxLength))
    expect(attributesOf(html, 'description').maxlength).toBe(String(catalogue.descriptionRule.maxLength))
    expect(attributesOf(html, 'year')).toMatchObject({ min: String(catalogue.yearRule.minimum), max: String(catalogue.yearRule.maximum) })
    for (const kind of catalogue.titleKinds) expect(attributesOf(html, `kind-${kind}`).value).toBe(kind)
  })

  test('the season and episode forms carry the number ranges, and refuse a number past them', async () => {
    const series = await addTitle(user, { kind: 'series', name: 'Номера' })
    const seasonForm = (await user.get(`/titles/${series.id}/seasons/new`)).text
    expect(attributesOf(seasonForm, 'season-number')).toMatchObject({
      min: String(catalogue.seasonNumberRule.minimum),
      max: String(catalogue.seasonNumberRule.maximum),
    })
    const overSeason = await postForm(user, `/titles/${series.id}/seasons`, { number: String(catalogue.seasonNumberRule.maximum + 1) })
    expect(overSeason.status).toBe(400)
    expect(errorOf(overSeason.text, 'season-number')).toContain(String(catalogue.seasonNumberRule.maximum))
    const season = await addSeason(user, series.id, catalogue.seasonNumberRule.maximum)
    const episodeForm = (await user.get(`/seasons/${season.id}/episodes/new`)).text
    expect(attributesOf(episodeForm, 'episode-number')).toMatchObject({
      min: String(catalogue.episodeNumberRule.minimum),
      max: String(catalogue.episodeNumberRule.maximum),
    })
    expect(attributesOf(episodeForm, 'episode-name').maxlength).toBe(String(catalogue.nameRule.maxLength))
    const overEpisode = await postForm(user, `/seasons/${season.id}/episodes`, {
      number: String(catalogue.episodeNumberRule.maximum + 1),
      name: 'x',
    })
    expect(errorOf(overEpisode.text, 'episode-number')).toContain(String(catalogue.episodeNumberRule.maximum))
    const atMax = await postForm(user, `/seasons/${season.id}/episodes`, {
      number: String(catalogue.episodeNumberRule.maximum),
      name: 'x',
    })
    expect(atMax.status).toBe(303)
  })

  test('the catalogue offers every kind and sort, which the API accepts, and caps the search', async () => {
    const html = (await user.get('/')).text
    for (const kind of catalogue.titleKinds) expect(html).toContain(`<option value="${kind}"`)
    for (const sort of catalogue.titleSorts) expect(html).toContain(`<option value="${sort}"`)
    expect(attributesOf(html, 'q').maxlength).toBe(String(catalogue.searchRule.maxLength))
    expect(attributesOf(html, 'year')).toMatchObject({ min: String(catalogue.yearRule.minimum), max: String(catalogue.yearRule.maximum) })
    for (const sort of catalogue.titleSorts) expect((await user.get(`/api/v1/titles?sort=${sort}`)).status).toBe(200)
    for (const kind of catalogue.titleKinds) expect((await user.get(`/?kind=${kind}`)).text).toContain(`<option value="${kind}" selected`)
  })
})

describe('review and rating rules', () => {
  test('the API and the review form accept a body at the maximum and refuse one over it, quoting it', async () => {
    const [first, second] = [await addTitle(user, { name: 'Отзыв 1' }), await addTitle(user, { name: 'Отзыв 2' })]
    const body = (length: number) => 'р'.repeat(length)
    expect((await user.post(`/api/v1/titles/${first.id}/reviews`, { body: body(reviewBodyRule.maxLength + 1) })).status).toBe(400)
    expect((await user.post(`/api/v1/titles/${first.id}/reviews`, { body: body(reviewBodyRule.maxLength) })).status).toBe(201)
    const over = await postForm(user, `/titles/${second.id}/reviews`, { body: body(reviewBodyRule.maxLength + 1) })
    expect(over.status).toBe(400)
    const amount = reviewBodyRule.maxLength.toLocaleString('en')
    expect(errorOf(over.text, 'review-body')).toContain(amount)
    expect(attributesOf(over.text, 'review-body').maxlength).toBe(String(reviewBodyRule.maxLength))
    expect(over.text).toContain(`up to ${amount} characters`)
    expect((await postForm(user, `/titles/${second.id}/reviews`, { body: body(reviewBodyRule.maxLength) })).status).toBe(303)
  })

  test('the rating widget offers the score range, which the API accepts', async () => {
    const title = await addTitle(user, { name: 'Оценки' })
    const html = (await user.get(`/titles/${title.id}`)).text
    const scores = [...html.matchAll(/name="score" value="(\d+)"/g)].map(match => Number(match[1]))
    expect(scores).toEqual(Array.from({ length: scoreRule.maximum - scoreRule.minimum + 1 }, (_, i) => scoreRule.minimum + i))
    expect(html).toContain(`(${scoreRule.minimum} to ${scoreRule.maximum})`)
    expect((await user.put(`/api/v1/titles/${title.id}/rating`, { score: scoreRule.maximum })).status).toBe(200)
    expect((await user.put(`/api/v1/titles/${title.id}/rating`, { score: scoreRule.maximum + 1 })).status).toBe(400)
    expect((await user.put(`/api/v1/titles/${title.id}/rating`, { score: scoreRule.minimum - 1 })).status).toBe(400)
  })
})
