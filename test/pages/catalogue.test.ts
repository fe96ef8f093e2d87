// The catalogue page in a real browser: search as you type, filters, sorts, pages, and a
// URL that always tells the state (shareable; the back button works).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Browser, Page } from 'playwright-core'
import { addTitle } from '../helpers/catalogue'
import { signUp } from '../helpers/client'
import { type TestServer, startServer } from '../helpers/server'
import { cspViolations, launchBrowser, openTab, saveScreenshot, shown, textOf, browserTestMs, setupMs } from './browser'

let server: TestServer
let browser: Browser

beforeAll(async () => {
  ;[server, browser] = await Promise.all([startServer(), launchBrowser()])
  const owner = await signUp(server.url)
  await addTitle(owner, { name: 'Брат 2', originalName: 'Brother 2', year: 2000, genres: ['Боевик', 'Криминал'] })
  await addTitle(owner, { name: 'Брат', originalName: 'Brother', year: 1997, genres: ['Криминал'] })
  await addTitle(owner, { name: 'Сёстры', year: 2001, genres: ['Драма'] })
  await addTitle(owner, { kind: 'series', name: 'Бригада', year: 2002, genres: ['Криминал'] })
  // Enough for three pages of 24.
  for (let i = 1; i <= 50; i++) await addTitle(owner, { name: `Filler ${String(i).padStart(2, '0')}`, year: 1980 })
}, setupMs)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const cardNames = (page: Page) => page.locator('#results .card h2').allTextContents()

// Typing fires htmx requests after a pause; wait until the results show what was asked.
async function searchFor(page: Page, text: string) {
  const answered = page.waitForResponse(r => new URL(r.url()).searchParams.get('q') === text && r.status() === 200)
  await page.getByLabel('Search').fill(text)
  await answered
  await page.waitForFunction(q => new URL(location.href).searchParams.get('q') === q, text)
}

describe('catalogue page', () => {
  test(
    'finds «Брат 2» as you type, in any case, and the URL follows',
    async () => {
      const { page, context, problems } = await openTab(browser, server.url)
      await page.goto('/?lang=en')
      for (const query of ['брат', 'Брат', 'БРАТ 2']) {
        await searchFor(page, query)
        expect(await cardNames(page)).toContain('Брат 2')
      }
      expect(await cardNames(page)).toEqual(['Брат 2'])
      expect(decodeURIComponent(new URL(page.url()).search)).toBe('?q=БРАТ+2')
      await saveScreenshot(page, 'catalogue-search')
      // The URL is the state: opened afresh it shows the same results.
      await page.goto(page.url())
      expect(await cardNames(page)).toEqual(['Брат 2'])
      expect(await page.getByLabel('Search').inputValue()).toBe('БРАТ 2')
      expect(cspViolations(problems)).toEqual([])
      await context.close()
    },
    browserTestMs,
  )

  test(
    'filters by kind, genre and year, sorts, and shows the rating of each title',
    async () => {
      const { page, context } = await openTab(browser, server.url)
      await page.goto('/?lang=en')
      await page.getByLabel('Type').selectOption('series')
      await page.waitForURL(/kind=series/)
      expect(await cardNames(page)).toEqual(['Бригада'])
      await page.getByLabel('Type').selectOption('')
      await page.waitForURL(url => !url.search.includes('kind='))
      await page.getByLabel('Genre').selectOption('криминал')
      await page.waitForURL(/genre=/)
      await page.getByLabel('Sort by').selectOption('year')
      await page.waitForURL(/sort=year/)
      expect(await cardNames(page)).toEqual(['Бригада', 'Брат 2', 'Брат'])
      await page.getByLabel('Year').fill('1997')
      await page.waitForURL(/year=1997/)
      await page.waitForFunction(() => document.querySelectorAll('#results .card').length === 1)
      expect(await cardNames(page)).toEqual(['Брат'])
      expect(await textOf(page.locator('#results .card .rating'))).toBe('No ratings yet')
      await context.close()
    },
    browserTestMs,
  )

  test(
    'turns pages in place, and the back button returns to the previous page of results',
    async () => {
      const { page, context } = await openTab(browser, server.url)
      await page.goto('/?lang=en&sort=name&q=filler')
      expect(await textOf(page.getByRole('status'))).toBe('50 titles')
      expect((await cardNames(page))[0]).toBe('Filler 01')
      await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Next' }).click()
      await page.waitForURL(/page=2/)
      await page.waitForFunction(() => document.querySelector('#results .card h2')?.textContent === 'Filler 25')
      await page.goBack()
      await page.waitForURL(url => !url.search.includes('page='))
      await page.waitForFunction(() => document.querySelector('#results .card h2')?.textContent === 'Filler 01')
      await context.close()
    },
    browserTestMs,
  )

  test(
    'searches without JavaScript through the form',
    async () => {
      const { page, context } = await openTab(browser, server.url, { javaScriptEnabled: false })
      await page.goto('/?lang=en')
      await page.getByLabel('Search').fill('брат')
      await page.getByRole('button', { name: 'Show' }).click()
      await page.waitForURL(/q=/)
      expect((await cardNames(page)).sort()).toEqual(['Брат', 'Брат 2'])
      await context.close()
    },
    browserTestMs,
  )

  test(
    'is usable at phone width',
    async () => {
      const { page, context } = await openTab(browser, server.url, { viewport: { width: 390, height: 844 }, locale: 'ru-RU' })
      await page.goto('/')
      await shown(page.getByLabel('Поиск'))
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
      expect(overflow).toBe(0)
      await saveScreenshot(page, 'catalogue-phone-ru', { fullPage: false })
      await context.close()
    },
    browserTestMs,
  )
})
