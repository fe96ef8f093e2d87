// Page or fragment: htmx gets the fragment it swaps, everything else the whole page, and
// caches are told the answer depends on HX-Request. Errors on pages are pages.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { addTitle } from '../helpers/catalogue'
import { Client, signUp } from '../helpers/client'
import { type TestServer, startServer } from '../helpers/server'

let server: TestServer
let titleId: number

beforeAll(async () => {
  server = await startServer()
  const owner = await signUp(server.url)
  titleId = (await addTitle(owner, { name: 'Брат 2', year: 2000 })).id
}, 30_000)

afterAll(() => server?.stop())

function get(path: string, headers: Record<string, string> = {}) {
  return fetch(server.url + path, { headers, redirect: 'manual' })
}

describe('pages and fragments', () => {
  test('htmx gets only the results, with the canonical URL to push', async () => {
    const answer = await get('/?q=%D0%B1%D1%80%D0%B0%D1%82&kind=&genre=&year=&sort=', { 'hx-request': 'true' })
    const html = await answer.text()
    expect(answer.headers.get('vary')).toBe('HX-Request')
    expect(answer.headers.get('hx-push-url')).toBe('/?q=%D0%B1%D1%80%D0%B0%D1%82')
    expect(html.startsWith('<section id="results"')).toBe(true)
    expect(html).toContain('Брат 2')
    expect(html).not.toContain('<html')
  })

  test('boosted requests, history restores and plain visits get the whole page', async () => {
    const cases: Record<string, string>[] = [
      { 'hx-request': 'true', 'hx-boosted': 'true' },
      { 'hx-request': 'true', 'hx-history-restore-request': 'true' },
      {},
    ]
    for (const headers of cases) {
      const answer = await get('/', headers)
      expect(answer.headers.get('vary')).toBe('HX-Request')
      expect(await answer.text()).toStartWith('<!doctype html><html')
    }
  })

  test('the title page answers the fragment htmx targets', async () => {
    const answer = await get(`/titles/${titleId}?reviews=1`, { 'hx-request': 'true', 'hx-target': 'reviews' })
    expect(await answer.text()).toStartWith('<section id="reviews"')
    const rating = await get(`/titles/${titleId}`, { 'hx-request': 'true', 'hx-target': 'rating' })
    expect(await rating.text()).toStartWith('<section id="rating"')
  })

  test('pages are private, never cached by others, and carry the strict CSP', async () => {
    const answer = await get('/')
    expect(answer.headers.get('cache-control')).toBe('private, no-cache')
    expect(answer.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(await answer.text()).not.toMatch(/<script(?![^>]*\bsrc=)/)
  })

  test('an unknown page is an HTML page in the visitor’s language; the API keeps JSON', async () => {
    const page = await get('/no/such/page', { 'accept-language': 'ru-RU,ru;q=0.9' })
    expect(page.status).toBe(404)
    expect(page.headers.get('content-type')).toContain('text/html')
    expect(await page.text()).toContain('Страница не найдена')
    const missingTitle = await get('/titles/999999', { 'accept-language': 'en' })
    expect(missingTitle.status).toBe(404)
    expect(await missingTitle.text()).toContain('There is no such title.')
    const api = await get('/api/v1/no-such-endpoint')
    expect(api.status).toBe(404)
    expect((await api.json()).error.code).toBe('not_found')
  })

  test('a form post without the session’s token is refused with a page saying why', async () => {
    const user = await signUp(server.url)
    const answer = await user.post('/titles', 'kind=movie&name=X', {
      sendCsrf: false,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' },
    })
    expect(answer.status).toBe(403)
    expect(answer.text).toContain('This form has expired. Reload the page and try again.')
  })

  test('a language chosen with ?lang= is remembered in a cookie', async () => {
    const client = new Client(server.url)
    await client.get('/login?lang=ru')
    expect(client.cookies.get('lang')).toBe('ru')
    const next = await client.get('/register', { headers: { 'accept-language': 'en' } })
    expect(next.text).toContain('<html lang="ru"')
  })
})
