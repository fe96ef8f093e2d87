// Driving the player (vidstack's <media-player>) as a viewer does: its play button, its
// settings menu and submenus, in English or Russian; and reading its state.
import { expect } from 'bun:test'
import type { Page } from 'playwright-core'
import { cspViolations, type Tab, unexpectedProblems } from './browser'

// The window the player must fit at the top of the page, controls included.
export const desktop = { width: 1366, height: 900 }

// The tab saw no CSP violation nor any other problem; it is closed.
export async function finish(tab: Tab) {
  expect(cspViolations(tab.problems)).toEqual([])
  expect(unexpectedProblems(tab.problems)).toEqual([])
  await tab.context.close()
}

export const playerWords = {
  en: {
    play: 'Play',
    settings: 'Settings',
    quality: 'Quality',
    audio: 'Audio',
    track: 'Track',
    subtitles: 'Subtitles',
    fullscreen: 'Full screen',
  },
  ru: {
    play: 'Смотреть',
    settings: 'Настройки',
    quality: 'Качество',
    audio: 'Звук',
    track: 'Дорожка',
    subtitles: 'Субтитры',
    fullscreen: 'Во весь экран',
  },
} as const
export type PlayerLocale = keyof typeof playerWords

// biome-ignore lint/suspicious/noExplicitAny: vidstack's element, typed in the bundle only
type MediaPlayer = any

export type PlayerState = {
  isFullscreen: boolean
  isPaused: boolean
  isMuted: boolean
  currentTime: number
  audio: string | null
  subtitles: string | null
  quality: number | null
  isAutoQuality: boolean
}

export function playerState(page: Page): Promise<PlayerState> {
  return page.locator('media-player').evaluate((player: MediaPlayer) => {
    const showing = player.textTracks.toArray().find((t: TextTrack) => t.mode === 'showing')
    return {
      isFullscreen: document.fullscreenElement !== null,
      isPaused: player.paused,
      isMuted: player.muted,
      currentTime: player.currentTime,
      audio: player.audioTracks.selected?.language ?? null,
      subtitles: showing?.language ?? null,
      quality: player.qualities.selected?.height ?? null,
      isAutoQuality: player.qualities.auto,
    }
  })
}

// Presses the big play button and waits until the tracks and rungs are known and it plays.
export async function pressPlay(page: Page, locale: PlayerLocale = 'en') {
  await page.getByRole('button', { name: playerWords[locale].play, exact: true }).first().click()
  await page.waitForFunction(() => {
    const player = document.querySelector('media-player') as MediaPlayer
    return player.currentTime > 0.3 && player.audioTracks.length > 0 && player.qualities.length > 0
  })
}

// Plays on (starting it if paused) until the video is past `sec`.
export const playedPast = (page: Page, sec: number) =>
  page.waitForFunction(
    limit => {
      const player = document.querySelector('media-player') as MediaPlayer
      if (player?.paused && !player.ended) player.play().catch(() => {})
      return (player?.currentTime ?? 0) > limit
    },
    sec,
    { timeout: 30_000, polling: 250 },
  )

// Opens the settings menu and the submenus along `path` (e.g. Audio, then Track).
// The controls hide while the video plays and the pointer rests: moving it shows them.
async function openSubmenu(page: Page, locale: PlayerLocale, path: string[]) {
  await page.locator('media-player').scrollIntoViewIfNeeded()
  const box = await page.locator('media-player').boundingBox()
  if (box) {
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 3)
    await page.mouse.move(box.x + box.width / 2 + 5, box.y + box.height / 3 + 5)
  }
  await page.getByRole('button', { name: playerWords[locale].settings, exact: true }).click()
  for (const submenu of path) await page.getByRole('menuitem', { name: new RegExp(`^${submenu}`) }).click()
}

async function closeSettings(page: Page, locale: PlayerLocale) {
  await page.getByRole('button', { name: playerWords[locale].settings, exact: true }).click()
  await page.getByRole('menu').first().waitFor({ state: 'hidden' })
}

// The options a submenu offers, as the viewer reads them.
export async function submenuOptions(page: Page, locale: PlayerLocale, path: string[]): Promise<string[]> {
  await openSubmenu(page, locale, path)
  const options = page.getByRole('menuitemradio')
  await options.first().waitFor()
  const texts = (await options.allInnerTexts()).map(text => text.split('\n')[0].trim())
  await closeSettings(page, locale)
  return texts
}

export async function chooseInSettings(page: Page, locale: PlayerLocale, path: string[], option: string | RegExp) {
  await openSubmenu(page, locale, path)
  await page.getByRole('menuitemradio', { name: option }).click()
  await closeSettings(page, locale)
}
