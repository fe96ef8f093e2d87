// The player in Chromium (vidstack over hls.js), in English and Russian: its quality, audio
// and subtitle menus sit in the control bar and work in fullscreen; the keyboard drives it;
// the viewer's languages are remembered (on the account, or in localStorage when
// anonymous) and start the next film. No CSP violation anywhere. Its place on the page and
// the next episode: player-page.test.ts.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { signUp } from '../helpers/client'
import { type TestServer, startServer } from '../helpers/server'
import { createMovie, enqueueSourceFile, isFinished, makeSource, openServerDb, waitForMedia } from '../helpers/transcode'
import { browserTestMs, launchBrowser, openTab, registerInBrowser, saveScreenshot, setupMs } from './browser'
import { chooseInSettings, type PlayerLocale, type PlayerState, playerState, playerWords, pressPlay, desktop, finish } from './player-ui'

let server: TestServer
let browser: Browser
let dir: string
// A: 20 s, for the keyboard; B: 4 s, the next film.
let filmA: number
let filmB: number

const subtitles = (en: string, ru: string, sec: number) => ({
  eng: `1\n00:00:00,000 --> 00:00:${String(sec).padStart(2, '0')},000\n${en}\n`,
  rus: `1\n00:00:00,000 --> 00:00:${String(sec).padStart(2, '0')},000\n${ru}\n`,
})

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'moviepoint-player-'))
  const look = { width: 854, height: 480, audio: ['eng', 'rus'] }
  let long: string
  let short: string
  ;[server, browser, long, short] = await Promise.all([
    startServer({ ini: { Workers: 1 }, env: { MOVIEPOINT_X264_PRESET: 'ultrafast' } }),
    launchBrowser(),
    makeSource(join(dir, 'long.mkv'), { ...look, durationSec: 20, subtitles: subtitles('Hello there', 'Привет', 20) }),
    makeSource(join(dir, 'short.mkv'), { ...look, durationSec: 4, subtitles: subtitles('Hello there', 'Привет', 4) }),
  ])
  const { db } = openServerDb(server)
  const owner = await signUp(server.url)
  filmA = await createMovie(db, owner.userId)
  filmB = await createMovie(db, owner.userId)
  const ids = [
    await enqueueSourceFile(server, db, { titleId: filmA, ownerId: owner.userId, sourcePath: long }),
    await enqueueSourceFile(server, db, { titleId: filmB, ownerId: owner.userId, sourcePath: short }),
  ]
  for (const id of ids) expect((await waitForMedia(db, id, isFinished, 180_000)).status).toBe('ready')
}, setupMs * 3)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

// Playwright types only the US layout: a Cyrillic letter is sent as the keydown and keyup
// events a Russian layout makes for it (the physical key's code, the letter as the key).
const russianCodes: Record<string, string> = { л: 'KeyK', ь: 'KeyM', с: 'KeyC', а: 'KeyF' }
async function typeKey(page: Page, key: string) {
  const code = russianCodes[key]
  if (!code) return page.keyboard.press(key)
  await page.evaluate(
    ({ key, code }) => {
      for (const type of ['keydown', 'keyup'])
        document.activeElement?.dispatchEvent(new KeyboardEvent(type, { key, code, bubbles: true, cancelable: true }))
    },
    { key, code },
  )
}

// Whether the player comes to the state a key asked for within a second (it acts on the
// next frame, not at once).
async function stateAfterKey(page: Page, isReached: (state: PlayerState) => boolean): Promise<boolean> {
  for (const deadline = Date.now() + 1000; Date.now() < deadline; await Bun.sleep(50)) if (isReached(await playerState(page))) return true
  return isReached(await playerState(page))
}

describe('the player', () => {
  for (const locale of ['en', 'ru'] as const)
    test(
      `${locale}: quality, audio and subtitle menus sit in the control bar and work in fullscreen`,
      async () => {
        const tab = await openTab(browser, server.url, { locale, viewport: desktop })
        const { page } = tab
        const w = playerWords[locale]
        await page.goto(`/titles/${filmA}?lang=${locale}`)
        await pressPlay(page, locale)
        await page.getByRole('button', { name: w.fullscreen, exact: true }).click()
        await page.waitForFunction(() => document.fullscreenElement !== null)
        await chooseInSettings(page, locale, [w.audio, w.track], 'Русский')
        await chooseInSettings(page, locale, [w.subtitles], 'Русский')
        await chooseInSettings(page, locale, [w.quality], /^360p/)
        expect(await playerState(page)).toMatchObject({
          isFullscreen: true,
          audio: 'ru',
          subtitles: 'ru',
          quality: 360,
          isAutoQuality: false,
        })
        await saveScreenshot(page, `player-fullscreen-${locale}`, { fullPage: false })
        await finish(tab)
      },
      browserTestMs,
    )

  // With a Russian layout on, the keys k, m, c, f type л, ь, с, а.
  for (const [locale, keys] of [
    ['en', { k: 'k', m: 'm', c: 'c', f: 'f' }],
    ['ru', { k: 'л', m: 'ь', c: 'с', f: 'а' }],
  ] as const)
    test(
      `${locale}: Space and ${keys.k} play or pause, ←/→ seek 10 s, ${keys.m} mutes, ${keys.c} turns subtitles on and off, ${keys.f} goes fullscreen`,
      async () => {
        const tab = await openTab(browser, server.url, { locale, viewport: desktop })
        const { page } = tab
        await page.goto(`/titles/${filmA}?lang=${locale}`)
        await pressPlay(page, locale)
        // Keys act on the page, wherever the focus is (not in a text field).
        await page.locator('h1').click()
        await typeKey(page, keys.k)
        await page.waitForFunction(() => (document.querySelector('media-player') as unknown as { paused: boolean }).paused)
        await page.keyboard.press('Space')
        await page.waitForFunction(() => !(document.querySelector('media-player') as unknown as { paused: boolean }).paused)
        await page.keyboard.press('Space')
        expect(await stateAfterKey(page, state => state.isPaused)).toBe(true)

        const before = (await playerState(page)).currentTime
        await page.keyboard.press('ArrowRight')
        await page.waitForFunction(() => (document.querySelector('media-player') as unknown as { currentTime: number }).currentTime > 5)
        expect((await playerState(page)).currentTime - before).toBeCloseTo(10, 0)
        await page.keyboard.press('ArrowLeft')
        await page.waitForFunction(() => (document.querySelector('media-player') as unknown as { currentTime: number }).currentTime < 5)
        expect((await playerState(page)).currentTime).toBeCloseTo(before, 0)

        await typeKey(page, keys.m)
        expect(await stateAfterKey(page, state => state.isMuted)).toBe(true)
        await typeKey(page, keys.m)
        expect(await stateAfterKey(page, state => !state.isMuted)).toBe(true)

        await typeKey(page, keys.c)
        await page.waitForFunction(() =>
          (document.querySelector('media-player') as unknown as { textTracks: { toArray: () => TextTrack[] } }).textTracks
            .toArray()
            .some(t => t.mode === 'showing'),
        )
        await typeKey(page, keys.c)
        expect(await stateAfterKey(page, state => state.subtitles === null)).toBe(true)

        await typeKey(page, keys.f)
        await page.waitForFunction(() => document.fullscreenElement !== null)
        await page.evaluate(() => document.exitFullscreen())
        await finish(tab)
      },
      browserTestMs,
    )

  test(
    "a signed-in viewer's audio and subtitle languages, chosen in film A, start film B; they are kept on the account",
    async () => {
      const tab = await openTab(browser, server.url, { locale: 'ru', viewport: desktop })
      const { page } = tab
      await registerInBrowser(page)
      const locale: PlayerLocale = 'ru'
      const w = playerWords[locale]
      await page.goto(`/titles/${filmA}?lang=ru`)
      await pressPlay(page, locale)
      expect(await playerState(page)).toMatchObject({ audio: 'en', subtitles: null })
      const saved = page.waitForResponse(r => r.url().endsWith('/api/v1/me/player-preferences') && r.request().method() === 'PUT')
      await chooseInSettings(page, locale, [w.audio, w.track], 'Русский')
      expect((await saved).status()).toBe(200)
      const savedAgain = page.waitForResponse(r => r.url().endsWith('/api/v1/me/player-preferences') && r.request().method() === 'PUT')
      await chooseInSettings(page, locale, [w.subtitles], 'Русский')
      expect(await (await savedAgain).json()).toEqual({ audioLang: 'ru', subtitleLang: 'ru' })

      // Another film, another browser: the account's choice.
      const other = await openTab(browser, server.url, { locale: 'ru', viewport: desktop })
      await other.context.addCookies(await tab.context.cookies())
      await other.page.goto(`/titles/${filmB}?lang=ru`)
      await pressPlay(other.page, locale)
      await other.page.waitForFunction(() => {
        const player = document.querySelector('media-player') as unknown as { audioTracks: { selected?: { language: string } } }
        return player.audioTracks.selected?.language === 'ru'
      })
      expect(await playerState(other.page)).toMatchObject({ audio: 'ru', subtitles: 'ru' })
      await saveScreenshot(other.page, 'player-remembered-ru', { fullPage: false })
      await finish(other)
      await finish(tab)
    },
    browserTestMs,
  )

  test(
    "an anonymous viewer's languages are kept in localStorage and start the next film",
    async () => {
      const tab = await openTab(browser, server.url, { viewport: desktop })
      const { page } = tab
      const w = playerWords.en
      await page.goto(`/titles/${filmA}?lang=en`)
      await pressPlay(page)
      await chooseInSettings(page, 'en', [w.audio, w.track], 'Русский')
      await chooseInSettings(page, 'en', [w.subtitles], 'English')
      expect(JSON.parse((await page.evaluate(() => localStorage.getItem('moviepoint.player'))) ?? '{}')).toEqual({
        audio: 'ru',
        subtitles: 'en',
      })
      await page.goto(`/titles/${filmB}?lang=en`)
      await pressPlay(page)
      await page.waitForFunction(() => {
        const player = document.querySelector('media-player') as unknown as { audioTracks: { selected?: { language: string } } }
        return player.audioTracks.selected?.language === 'ru'
      })
      expect(await playerState(page)).toMatchObject({ audio: 'ru', subtitles: 'en' })
      await finish(tab)
    },
    browserTestMs,
  )
})
