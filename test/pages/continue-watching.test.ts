// "Continue watching": the titles a signed-in user stopped in the middle of, the most
// recent first, on the home page (both languages) and at GET /api/v1/me/continue-watching.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Browser, Page } from 'playwright-core'
import { addEpisode, addMedia, addSeason, addTitle, openServerDatabase } from '../helpers/catalogue'
import { Client, signUp } from '../helpers/client'
import { type TestServer, startServer } from '../helpers/server'
import { launchBrowser, openTab, registerInBrowser, setupMs } from './browser'

let server: TestServer
let browser: Browser
const ids: Record<string, number> = {}

async function setDuration(mediaId: number, durationSec: number) {
  const db = openServerDatabase(server)
  await db.execute({ sql: 'UPDATE media SET duration_sec = ? WHERE id = ?', args: [durationSec, mediaId] })
  db.close()
}

beforeAll(async () => {
  ;[server, browser] = await Promise.all([startServer(), launchBrowser()])
  const owner = await signUp(server.url)
  const video = async (name: string, fields: { titleId?: number; episodeId?: number }, durationSec: number) => {
    ids[name] = (await addMedia(server, { ownerId: owner.userId, ...fields })).id
    await setDuration(ids[name] as number, durationSec)
  }
  for (const name of ['Брат', 'Сёстры', 'Кин-дза-дза']) {
    ids[`title ${name}`] = (await addTitle(owner, { name })).id
    await video(name, { titleId: ids[`title ${name}`] }, 600)
  }
  ids['title Улицы разбитых фонарей'] = (await addTitle(owner, { name: 'Улицы разбитых фонарей', kind: 'series' })).id
  const season = await addSeason(owner, ids['title Улицы разбитых фонарей'] as number, 1)
  for (const number of [1, 2]) {
    ids[`episode ${number}`] = (await addEpisode(owner, season.id, number)).id
    await video(`episode ${number} video`, { episodeId: ids[`episode ${number}`] }, 1200)
  }
}, setupMs)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

// Positions saved the way the player saves them, then dated in this order (oldest first).
async function watch(page: Page, userName: string, views: [video: string, positionSec: number][]) {
  for (const [video, positionSec] of views) {
    const status = await page.evaluate(
      async ([mediaId, position]) => {
        const answer = await fetch(`/api/v1/media/${mediaId}/position`, {
          method: 'PUT',
          headers: {
            'content-type': 'application/json',
            'x-csrf-token': (window as unknown as { moviePoint: { csrfToken(): string } }).moviePoint.csrfToken(),
          },
          body: JSON.stringify({ positionSec: position }),
        })
        return answer.status
      },
      [ids[video] as number, positionSec] as const,
    )
    expect(status).toBe(200)
  }
  const db = openServerDatabase(server)
  for (const [i, [video]] of views.entries())
    await db.execute({
      sql: 'UPDATE watch_positions SET updated_at = ? WHERE media_id = ? AND user_id = (SELECT id FROM users WHERE username = ?)',
      args: [new Date(Date.UTC(2026, 0, 1, 12, i)).toISOString(), ids[video] as number, userName],
    })
  db.close()
}

const rowOf = (page: Page) =>
  page.locator('section.continue li').evaluateAll(items =>
    items.map(li => ({
      href: li.querySelector('a')?.getAttribute('href'),
      text: (li.textContent ?? '').replace(/\s+/g, ' ').trim(),
      percent: Number(li.querySelector('progress')?.getAttribute('value')),
    })),
  )

describe('continue watching', () => {
  for (const lang of ['en', 'ru'] as const) {
    test(`${lang}: the home page lists what was left in the middle, the latest first; a series once, at its last episode`, async () => {
      const { page, context } = await openTab(browser, server.url, { locale: lang === 'ru' ? 'ru-RU' : 'en-US' })
      const userName = await registerInBrowser(page)
      await page.goto(`/?lang=${lang}`)
      expect(await page.locator('section.continue').count()).toBe(0)
      await watch(page, userName, [
        ['Брат', 120],
        ['episode 1 video', 300],
        ['Сёстры', 3], // barely started
        ['episode 2 video', 60],
        ['Кин-дза-дза', 590], // watched to the end
      ])
      await page.goto('/')
      const heading = lang === 'ru' ? 'Продолжить просмотр' : 'Continue watching'
      expect(await page.getByRole('heading', { name: heading }).count()).toBe(1)
      const episodeLabel = lang === 'ru' ? 'Сезон 1, серия 2' : 'Season 1, episode 2'
      const left = lang === 'ru' ? 'Осталось 19 мин' : '19 min left'
      expect(await rowOf(page)).toEqual([
        { href: `/episodes/${ids['episode 2']}`, text: expect.stringContaining(episodeLabel), percent: 5 },
        { href: `/titles/${ids['title Брат']}`, text: expect.stringContaining('Брат'), percent: 20 },
      ])
      expect((await rowOf(page))[0]?.text).toContain(left)
      // Searching or filtering shows results, not the row.
      await page.goto('/?q=брат')
      expect(await page.locator('section.continue').count()).toBe(0)
      await context.close()
    }, 60_000)
  }

  test('the API gives the same list to its user only; anonymous callers get 401', async () => {
    const viewer = await signUp(server.url)
    expect((await viewer.put(`/api/v1/media/${ids.Брат}/position`, { positionSec: 100 })).status).toBe(200)
    const mine = await viewer.get('/api/v1/me/continue-watching')
    expect(mine.status).toBe(200)
    expect(mine.body.items).toEqual([
      expect.objectContaining({
        titleId: ids['title Брат'],
        titleName: 'Брат',
        mediaId: ids.Брат,
        positionSec: 100,
        durationSec: 600,
        episode: null,
      }),
    ])
    const someoneElse = await signUp(server.url)
    expect((await someoneElse.get('/api/v1/me/continue-watching')).body.items).toEqual([])
    expect((await new Client(server.url).get('/api/v1/me/continue-watching')).status).toBe(401)
  })
})
