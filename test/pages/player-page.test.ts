// The player's place on the page and the episodes around it, in Chromium, in English and
// Russian: at the top of the title page with the poster and no spinner before play, its
// controls on screen at 1366×900 and at 360 px; an episode links to its neighbours, and its
// end counts down to the next one, which can be cancelled. No CSP violation anywhere.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { episodes, seasons, titles } from '../../src/db/schema'
import { signUp } from '../helpers/client'
import { type TestServer, startServer } from '../helpers/server'
import { createMovie, enqueueSourceFile, isFinished, makeSource, openServerDb, type TestDb, waitForMedia } from '../helpers/transcode'
import { browserTestMs, launchBrowser, openTab, saveScreenshot, setupMs, shown } from './browser'
import { playerWords, pressPlay, desktop, finish } from './player-ui'

let server: TestServer
let browser: Browser
let dir: string
let film: number
// Episode 1 (4 s) is followed by episode 2.
let episode1: number
let episode2: number

async function createSeries(db: TestDb, ownerId: number): Promise<[number, number]> {
  const [series] = await db.insert(titles).values({ kind: 'series', name: 'Серия', nameKey: 'серия', ownerId }).returning()
  const [season] = await db.insert(seasons).values({ titleId: series.id, number: 1 }).returning()
  const rows = await db
    .insert(episodes)
    .values([
      { seasonId: season.id, number: 1, name: 'Pilot' },
      { seasonId: season.id, number: 2, name: 'Second' },
    ])
    .returning()
  return [rows[0].id, rows[1].id]
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'moviepoint-player-page-'))
  let source: string
  ;[server, browser, source] = await Promise.all([
    startServer({ ini: { Workers: 1 }, env: { MOVIEPOINT_X264_PRESET: 'ultrafast' } }),
    launchBrowser(),
    makeSource(join(dir, 'short.mkv'), { width: 640, height: 360, durationSec: 4 }),
  ])
  const { db } = openServerDb(server)
  const owner = await signUp(server.url)
  film = await createMovie(db, owner.userId)
  ;[episode1, episode2] = await createSeries(db, owner.userId)
  const ids = [
    await enqueueSourceFile(server, db, { titleId: film, ownerId: owner.userId, sourcePath: source }),
    await enqueueSourceFile(server, db, { episodeId: episode1, ownerId: owner.userId, sourcePath: source }),
  ]
  for (const id of ids) expect((await waitForMedia(db, id, isFinished, 180_000)).status).toBe('ready')
}, setupMs * 3)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('the player on the page', () => {
  for (const [locale, width] of [
    ['en', 1366],
    ['ru', 1366],
    ['en', 360],
    ['ru', 360],
  ] as const)
    test(
      `${locale} at ${width} px: the player is at the top, the poster shows with no spinner before play, and its controls are on screen`,
      async () => {
        const tab = await openTab(browser, server.url, { locale, viewport: { width, height: width === 360 ? 740 : 900 } })
        const { page } = tab
        const segments: string[] = []
        page.on('request', r => {
          if (/\.ts$/.test(r.url())) segments.push(r.url())
        })
        await page.goto(`/titles/${film}?lang=${locale}`)
        const player = await shown(page.locator('media-player'))
        await shown(page.locator('media-poster img'))
        const spinner = page.locator('.vds-buffering-indicator')
        expect((await spinner.count()) === 0 || !(await spinner.isVisible())).toBe(true)
        expect(await player.getAttribute('data-buffering')).toBeNull()
        expect(segments).toEqual([])
        await saveScreenshot(page, `player-top-${locale}-${width}`, { fullPage: false })
        const playerBox = await player.boundingBox()
        const detailsBox = await page.locator('.facts').boundingBox()
        expect(playerBox && detailsBox && playerBox.y + playerBox.height <= detailsBox.y).toBe(true)
        await pressPlay(page, locale)
        const fullscreenButton = await page.getByRole('button', { name: playerWords[locale].fullscreen, exact: true }).boundingBox()
        const viewport = page.viewportSize()
        expect(fullscreenButton && viewport && fullscreenButton.y + fullscreenButton.height <= viewport.height).toBe(true)
        await saveScreenshot(page, `player-playing-${locale}-${width}`, { fullPage: false })
        // The settings menu, as it reads at this width in this language.
        await page.getByRole('button', { name: playerWords[locale].settings, exact: true }).click()
        await shown(page.getByRole('menuitem', { name: new RegExp(`^${locale === 'ru' ? 'Скорость' : 'Speed'}`) }))
        await page.waitForFunction(() => document.getAnimations().every(animation => animation.playState !== 'running'))
        await saveScreenshot(page, `player-settings-${locale}-${width}`, { fullPage: false })
        await finish(tab)
      },
      browserTestMs,
    )

  for (const locale of ['en', 'ru'] as const)
    test(
      `${locale}: an episode links to its neighbours; at its end the next one is offered with a countdown that can be cancelled, or plays`,
      async () => {
        const tab = await openTab(browser, server.url, { locale, viewport: desktop })
        const { page } = tab
        const text = {
          en: {
            next: 'Next episode: S1 E2. Second',
            previous: 'Previous episode: S1 E1. Pilot',
            cancel: 'Cancel',
            offer: /Plays in \d+ s/,
          },
          ru: {
            next: 'Следующая серия: Сезон 1, серия 2. Second',
            previous: 'Предыдущая серия: Сезон 1, серия 1. Pilot',
            cancel: 'Отменить',
            offer: /Начнётся через \d+ с/,
          },
        }[locale]
        await page.goto(`/episodes/${episode1}?lang=${locale}`)
        await shown(page.getByRole('link', { name: `${text.next} →` }))
        // A short countdown for the test; the page's default is 10 s.
        await page.locator('[data-next-episode]').evaluate(el => el.setAttribute('data-countdown-sec', '3'))
        await pressPlay(page, locale)
        const offer = page.locator('[data-next-episode]')
        await shown(offer, 20_000)
        expect(await offer.textContent()).toMatch(text.offer)
        await saveScreenshot(page, `next-episode-${locale}`, { fullPage: false })
        await offer.getByRole('button', { name: text.cancel }).click()
        expect(await offer.isHidden()).toBe(true)
        // Past the countdown: still here.
        await page.waitForTimeout(3500)
        expect(page.url()).toContain(`/episodes/${episode1}`)

        // Played again to the end, not cancelled: the next episode's page opens.
        await page.locator('media-player').evaluate(async player => {
          const p = player as unknown as { currentTime: number; play: () => Promise<void> }
          p.currentTime = 0
          await p.play()
        })
        await page.waitForURL(new RegExp(`/episodes/${episode2}\\?autoplay=1$`), { timeout: 30_000 })
        await shown(page.getByRole('link', { name: `← ${text.previous}` }))
        await finish(tab)
      },
      browserTestMs,
    )
})
