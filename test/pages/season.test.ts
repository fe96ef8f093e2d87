// The season page, /seasons/:id: its series (linked), number and name, its episodes with
// links, in both languages; edit controls only for the title's owner or an admin; the 404
// page for a season that does not exist.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Browser, Page } from 'playwright-core'
import { type TestServer, startServer } from '../helpers/server'
import { browserTestMs, launchBrowser, openTab, registerInBrowser, saveScreenshot, setupMs, shown, textOf } from './browser'

let server: TestServer
let browser: Browser
let owner: Page
const ids = { title: 0, season: 0, pilot: 0, finale: 0 }

// The API with the browser's session and its CSRF token, as the page's own scripts send it.
async function apiPost(page: Page, path: string, data: Record<string, unknown>) {
  const token = (await page.locator('meta[name="csrf-token"]').getAttribute('content')) ?? ''
  const answer = await page.request.post(path, { data, headers: { origin: server.url, 'x-csrf-token': token } })
  expect(answer.status()).toBe(201)
  return answer.json()
}

beforeAll(async () => {
  // The owner registers first (user 1); user 2 is the admin.
  ;[server, browser] = await Promise.all([startServer({ admins: '2\n' }), launchBrowser()])
  owner = (await openTab(browser, server.url)).page
  await registerInBrowser(owner)
  const { title } = await apiPost(owner, '/api/v1/titles', { kind: 'series', name: 'Улицы разбитых фонарей' })
  const { season } = await apiPost(owner, `/api/v1/titles/${title.id}/seasons`, { number: 2, name: 'Развязка' })
  const pilot = await apiPost(owner, `/api/v1/seasons/${season.id}/episodes`, { number: 1, name: 'Пилот' })
  const finale = await apiPost(owner, `/api/v1/seasons/${season.id}/episodes`, { number: 2, name: 'Финал' })
  Object.assign(ids, { title: title.id, season: season.id, pilot: pilot.episode.id, finale: finale.episode.id })
}, setupMs)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const controls = (page: Page) => [page.getByRole('link', { name: 'Add an episode' }), page.getByRole('link', { name: 'Edit the season' })]

describe('season page', () => {
  test(
    'shows its series, number, name and episodes with links, in English; the owner gets the edit controls',
    async () => {
      const response = await owner.goto(`/seasons/${ids.season}?lang=en`)
      expect(response?.status()).toBe(200)
      expect(await textOf(owner.getByRole('heading', { level: 1 }))).toBe('Season 2: Развязка')
      expect(await owner.title()).toContain('Улицы разбитых фонарей: Season 2: Развязка')
      const series = owner
        .getByRole('navigation', { name: 'Where this season belongs' })
        .getByRole('link', { name: 'Улицы разбитых фонарей' })
      expect(await series.getAttribute('href')).toBe(`/titles/${ids.title}`)
      const episodes = owner.getByRole('list').filter({ has: owner.getByRole('link', { name: 'Episode 1. Пилот' }) })
      expect(await episodes.getByRole('link').allTextContents()).toEqual(['Episode 1. Пилот', 'Episode 2. Финал'])
      expect(await owner.getByRole('link', { name: 'Episode 2. Финал' }).getAttribute('href')).toBe(`/episodes/${ids.finale}`)
      for (const control of controls(owner)) await shown(control)
      expect(await controls(owner)[1].getAttribute('href')).toBe(`/seasons/${ids.season}/edit`)
      await saveScreenshot(owner, 'season-page-owner')
      await owner.getByRole('link', { name: 'Episode 1. Пилот' }).click()
      await owner.waitForURL(`**/episodes/${ids.pilot}`)
      await owner.getByRole('link', { name: 'Season 2: Развязка' }).click()
      await owner.waitForURL(`**/seasons/${ids.season}`)
      await owner.getByRole('link', { name: 'Улицы разбитых фонарей' }).click()
      await owner.waitForURL(`**/titles/${ids.title}`)
      await owner.getByRole('link', { name: 'Season 2: Развязка' }).click()
      await owner.waitForURL(`**/seasons/${ids.season}`)
    },
    browserTestMs,
  )

  test(
    'speaks Russian, and shows a visitor no edit controls',
    async () => {
      const { page, context } = await openTab(browser, server.url, { locale: 'ru-RU' })
      expect((await page.goto(`/seasons/${ids.season}?lang=ru`))?.status()).toBe(200)
      expect(await textOf(page.getByRole('heading', { level: 1 }))).toBe('Сезон 2: Развязка')
      await shown(page.getByRole('heading', { name: 'Серии', level: 2 }))
      expect(await page.getByRole('link', { name: 'Серия 1. Пилот' }).getAttribute('href')).toBe(`/episodes/${ids.pilot}`)
      await shown(page.getByRole('navigation', { name: 'Где находится этот сезон' }))
      expect(await page.getByRole('link', { name: 'Добавить серию' }).count()).toBe(0)
      expect(await page.getByRole('link', { name: 'Редактировать сезон' }).count()).toBe(0)
      await saveScreenshot(page, 'season-page-visitor-ru')
      await context.close()
    },
    browserTestMs,
  )

  test(
    'another user sees no edit controls; an admin sees them',
    async () => {
      const admin = await openTab(browser, server.url)
      await registerInBrowser(admin.page)
      const stranger = await openTab(browser, server.url)
      await registerInBrowser(stranger.page)
      await stranger.page.goto(`/seasons/${ids.season}?lang=en`)
      await shown(stranger.page.getByRole('link', { name: 'Episode 1. Пилот' }))
      for (const control of controls(stranger.page)) expect(await control.count()).toBe(0)
      await admin.page.goto(`/seasons/${ids.season}?lang=en`)
      for (const control of controls(admin.page)) await shown(control)
      await Promise.all([admin.context.close(), stranger.context.close()])
    },
    browserTestMs,
  )

  test(
    'a season that does not exist gets the 404 page, in the visitor’s language',
    async () => {
      const { page, context } = await openTab(browser, server.url)
      for (const path of ['/seasons/999999?lang=en', '/seasons/abc?lang=en']) {
        const response = await page.goto(path)
        expect({ path, status: response?.status() }).toEqual({ path, status: 404 })
        expect(await textOf(page.getByRole('heading', { level: 1 }))).toBe('Page not found')
      }
      await page.goto('/seasons/999999?lang=ru')
      expect(await textOf(page.getByRole('heading', { level: 1 }))).toBe('Страница не найдена')
      expect(await textOf(page.locator('.error-page p').first())).toBe('Такого сезона нет.')
      await context.close()
    },
    browserTestMs,
  )
})
