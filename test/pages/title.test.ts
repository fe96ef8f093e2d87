// Title, episode and review pages in a real browser: forms with their errors, rating,
// reviews shown safely, rights enforced on the page and by the server.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Browser, Page } from 'playwright-core'
import { type TestServer, startServer } from '../helpers/server'
import {
  browserTestMs,
  createTitleInBrowser,
  cspViolations,
  launchBrowser,
  openTab,
  registerInBrowser,
  saveScreenshot,
  setupMs,
  shown,
  textOf,
} from './browser'

let server: TestServer
let browser: Browser

beforeAll(async () => {
  ;[server, browser] = await Promise.all([startServer(), launchBrowser()])
}, setupMs)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

async function csrfOf(page: Page): Promise<string> {
  return (await page.locator('meta[name="csrf-token"]').getAttribute('content')) ?? ''
}

// A form post as a browser of this site would send it (Origin and the session's token).
function postForm(page: Page, path: string, form: Record<string, string>) {
  return page.request.post(path, { form, headers: { origin: server.url }, maxRedirects: 0 })
}

describe('title pages', () => {
  test(
    'adds a movie through the form: errors sit next to their fields and what was typed stays',
    async () => {
      const { page, context, problems } = await openTab(browser, server.url)
      await registerInBrowser(page)
      await page.getByRole('link', { name: 'Add a title' }).click()
      await page.getByLabel('Original title').fill('Brother 2')
      await page.getByLabel('Year').fill('1800')
      await page.getByRole('button', { name: 'Add to the catalogue' }).click()
      expect(await textOf(page.locator('#name-error'))).toBe('This field is required.')
      expect(await textOf(page.locator('#year-error'))).toBe('Enter a year from 1870 to 2100, or leave it empty.')
      expect(await page.getByLabel('Original title').inputValue()).toBe('Brother 2')
      expect(await page.getByLabel('Year').getAttribute('aria-describedby')).toContain('year-error')
      await saveScreenshot(page, 'title-form-errors')
      await page.getByLabel('Title', { exact: true }).fill('Брат 2')
      await page.getByLabel('Year').fill('2000')
      await page.getByLabel('Genres').fill('Боевик, Криминал')
      await page.getByLabel('Description').fill('Данила едет в Америку.\nВторая строка.')
      await page.getByRole('button', { name: 'Add to the catalogue' }).click()
      await shown(page.getByRole('heading', { name: 'Брат 2', level: 1 }))
      expect(await textOf(page.locator('.subtitle'))).toBe('Brother 2')
      await page.getByRole('link', { name: 'Криминал' }).click()
      await page.waitForURL(/genre=/)
      expect(await page.locator('#results .card h2').allTextContents()).toContain('Брат 2')
      expect(cspViolations(problems)).toEqual([])
      await context.close()
    },
    browserTestMs,
  )

  test(
    'rates from 1 to 10, changes the score and removes it',
    async () => {
      const { page, context } = await openTab(browser, server.url)
      await registerInBrowser(page)
      const id = await createTitleInBrowser(page, { name: 'Рейтинг' })
      const rating = page.locator('#rating')
      await rating.getByRole('radio', { name: '8' }).check()
      await shown(rating.getByText('Your score: 8 (1 to 10)'))
      expect(await textOf(rating.locator('.rating'))).toContain('8.0')
      await rating.getByRole('radio', { name: '3' }).check()
      await shown(rating.getByText('Your score: 3 (1 to 10)'))
      await page.reload()
      expect(await rating.getByRole('radio', { name: '3' }).isChecked()).toBe(true)
      await rating.getByRole('button', { name: 'Remove my score' }).click()
      await shown(rating.getByText('Your score (1 to 10)'))
      expect(await textOf(rating.locator('.rating'))).toBe('No ratings yet')
      expect(page.url()).toEndWith(`/titles/${id}`)
      await context.close()
    },
    browserTestMs,
  )

  test(
    'shows a review with a script in it as text and runs nothing; spoilers stay folded until opened',
    async () => {
      const { page, context, problems } = await openTab(browser, server.url)
      await registerInBrowser(page)
      await createTitleInBrowser(page, { name: 'Отзывы' })
      const payload = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2"> "quoted" & done'
      await page.getByText('Write a review').click()
      await page.getByLabel('Your review').fill(payload)
      await page.getByLabel('It reveals the plot (spoiler)').check()
      await page.getByRole('button', { name: 'Publish the review' }).click()
      const review = page.locator('.review').first()
      await shown(review)
      expect(await review.locator('.review-body').isVisible()).toBe(false)
      await review.getByText('Contains spoilers. Show the review').click()
      expect(await textOf(review.locator('.review-body'))).toBe(payload)
      expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined()
      expect(await page.locator('.review img').count()).toBe(0)
      expect(cspViolations(problems)).toEqual([])
      await saveScreenshot(page, 'title-reviews')
      // Edit it into a review without spoilers, then delete it.
      await review.getByRole('link', { name: 'Edit' }).click()
      await page.getByLabel('Your review').fill('')
      await page.getByRole('button', { name: 'Save the review' }).click()
      expect(await textOf(page.locator('#review-body-error'))).toBe('Write something first.')
      await page.getByLabel('Your review').fill('Хороший фильм.')
      await page.getByLabel('It reveals the plot (spoiler)').uncheck()
      await page.getByRole('button', { name: 'Save the review' }).click()
      expect(await textOf(page.locator('.review .review-body'))).toBe('Хороший фильм.')
      await page.locator('.review').getByRole('button', { name: 'Delete' }).click()
      await shown(page.getByText('No reviews yet.'))
      await context.close()
    },
    browserTestMs,
  )

  test(
    'shows another user no edit controls, and the server refuses them anyway',
    async () => {
      const owner = await openTab(browser, server.url)
      await registerInBrowser(owner.page)
      const id = await createTitleInBrowser(owner.page, { name: 'Чужой', year: '1999' })
      await owner.page.getByText('Write a review').click()
      await owner.page.getByLabel('Your review').fill('Мой отзыв')
      await owner.page.getByRole('button', { name: 'Publish the review' }).click()
      const reviewId = Number((await owner.page.locator('.review').first().getAttribute('id'))?.replace('review-', ''))

      const other = await openTab(browser, server.url)
      await registerInBrowser(other.page)
      await other.page.goto(`/titles/${id}`)
      await shown(other.page.getByRole('heading', { name: 'Чужой' }))
      expect(await other.page.getByRole('link', { name: 'Edit' }).count()).toBe(0)
      expect(await other.page.getByText('Delete…').count()).toBe(0)
      expect(await other.page.locator('.review').getByRole('button', { name: 'Delete' }).count()).toBe(0)
      const csrf = await csrfOf(other.page)
      const edit = await postForm(other.page, `/titles/${id}`, { _csrf: csrf, kind: 'movie', name: 'Захвачено' })
      expect(edit.status()).toBe(403)
      expect(await edit.text()).toContain('You may not do this.')
      expect((await postForm(other.page, `/titles/${id}/delete`, { _csrf: csrf })).status()).toBe(403)
      expect((await postForm(other.page, `/reviews/${reviewId}/delete`, { _csrf: csrf })).status()).toBe(403)
      // Without the session's token the request is refused before anything else.
      expect((await postForm(other.page, `/titles/${id}/rating`, { score: '5' })).status()).toBe(403)
      await other.page.reload()
      await shown(other.page.getByRole('heading', { name: 'Чужой' }))
      expect(await other.page.locator('.review').count()).toBe(1)
      await other.context.close()
      await owner.context.close()
    },
    browserTestMs,
  )

  test(
    'builds a series: seasons and episodes through forms, each episode with its own page',
    async () => {
      const { page, context } = await openTab(browser, server.url)
      await registerInBrowser(page)
      const id = await createTitleInBrowser(page, { name: 'Бригада', kind: 'Series' })
      await page.getByRole('link', { name: 'Add a season' }).click()
      expect(await page.getByLabel('Season number').inputValue()).toBe('1')
      await page.getByRole('button', { name: 'Add the season' }).click()
      await page.getByRole('link', { name: 'Add a season' }).click()
      await page.getByLabel('Season number').fill('1')
      await page.getByLabel('Name (optional)').fill('Дубль')
      await page.getByRole('button', { name: 'Add the season' }).click()
      expect(await textOf(page.locator('#season-number-error'))).toBe('This title already has a season with this number.')
      expect(await page.getByLabel('Name (optional)').inputValue()).toBe('Дубль')
      await page.goto(`/titles/${id}`)
      await page.getByRole('link', { name: 'Add an episode' }).click()
      await page.getByLabel('Episode title').fill('Пилот')
      await page.getByRole('button', { name: 'Add the episode' }).click()
      await shown(page.getByRole('heading', { name: 'Episode 1. Пилот' }))
      await shown(page.getByText('There is no video yet.'))
      await shown(page.getByRole('heading', { name: 'Upload a video' }))
      await saveScreenshot(page, 'episode')
      await page.getByRole('link', { name: 'Бригада' }).click()
      await shown(page.getByRole('heading', { name: 'Season 1' }))
      await page.getByRole('link', { name: 'Episode 1. Пилот' }).click()
      await page.waitForURL(/\/episodes\/\d+$/)
      await page.getByRole('link', { name: 'Edit the episode' }).click()
      await page.getByText('Delete the episode…').click()
      await page.getByRole('button', { name: 'Delete the episode for good' }).click()
      await shown(page.getByText('No episodes yet.'))
      await saveScreenshot(page, 'series')
      await context.close()
    },
    browserTestMs,
  )

  test(
    'adds and rates a title without JavaScript',
    async () => {
      const { page, context } = await openTab(browser, server.url, { javaScriptEnabled: false })
      await registerInBrowser(page)
      await createTitleInBrowser(page, { name: 'Без скриптов', genres: 'Драма' })
      await page.locator('#rating').getByRole('radio', { name: '9' }).check()
      await page.getByRole('button', { name: 'Save my score' }).click()
      await shown(page.getByText('Your score: 9 (1 to 10)'))
      await page.getByText('Write a review').click()
      await page.getByLabel('Your review').fill('Работает и так.')
      await page.getByRole('button', { name: 'Publish the review' }).click()
      expect(await textOf(page.locator('.review .review-body'))).toBe('Работает и так.')
      await context.close()
    },
    browserTestMs,
  )

  test(
    'deletes a title after confirming',
    async () => {
      const { page, context } = await openTab(browser, server.url)
      await registerInBrowser(page)
      const id = await createTitleInBrowser(page, { name: 'Удаляемый' })
      await page.getByText('Delete…').click()
      await page.getByRole('button', { name: 'Delete “Удаляемый” for good' }).click()
      await page.waitForURL(url => url.pathname === '/')
      const gone = await page.goto(`/titles/${id}`)
      expect(gone?.status()).toBe(404)
      await shown(page.getByRole('heading', { name: 'Page not found' }))
      await context.close()
    },
    browserTestMs,
  )
})
