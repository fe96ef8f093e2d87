// Seek-bar previews in Chromium: hovering the player's time slider shows the frame of that
// time (a tile of a sprite sheet named by thumbs.vtt) above the pointer; dragging shows it
// too, and releasing seeks there.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { signUp } from '../helpers/client'
import { type TestServer, startServer } from '../helpers/server'
import { createMovie, enqueueSourceFile, isFinished, makeSource, openServerDb, waitForMedia } from '../helpers/transcode'
import { browserTestMs, cspViolations, launchBrowser, openTab, saveScreenshot, setupMs, shown, unexpectedProblems } from './browser'
import { pressPlay } from './player-ui'

let server: TestServer
let browser: Browser
let dir: string
let titleId: number

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'moviepoint-thumbs-page-'))
  let source: string
  ;[server, browser, source] = await Promise.all([
    startServer({ ini: { Workers: 1 }, env: { MOVIEPOINT_X264_PRESET: 'superfast' } }),
    launchBrowser(),
    makeSource(join(dir, 'clip.mp4'), { width: 640, height: 360, durationSec: 12 }),
  ])
  const { db } = openServerDb(server)
  const owner = await signUp(server.url)
  titleId = await createMovie(db, owner.userId)
  const mediaId = await enqueueSourceFile(server, db, { titleId, ownerId: owner.userId, sourcePath: source })
  expect((await waitForMedia(db, mediaId, isFinished)).status).toBe('ready')
}, setupMs * 2)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

type PreviewLook = { isVisible: boolean; image: string; clip: string; width: number; height: number; left: number; time: string }

// vidstack's slider preview: a thumbnail (the sprite as an <img>, moved and clipped to the
// tile) and the time under the pointer.
const previewOf = (page: Page) =>
  page.locator('media-time-slider media-slider-preview').evaluate((el: HTMLElement): PreviewLook => {
    const thumbnail = el.querySelector('media-slider-thumbnail') as HTMLElement
    const image = thumbnail.querySelector('img') as HTMLImageElement
    const box = thumbnail.getBoundingClientRect()
    return {
      isVisible: getComputedStyle(el).opacity !== '0' && el.hasAttribute('data-visible'),
      image: image.src,
      clip: `${image.style.transform} ${getComputedStyle(thumbnail).width}`,
      width: box.width,
      height: box.height,
      left: box.left,
      time: el.querySelector('media-slider-value')?.textContent?.trim() ?? '',
    }
  })

describe('seek-bar previews', () => {
  test(
    'hovering the time slider shows the frame of that time from a sprite sheet; dragging too, and releasing seeks',
    async () => {
      const { page, context, problems } = await openTab(browser, server.url)
      const sprites: string[] = []
      page.on('response', answer => {
        if (/\/thumbs\/sprite\d+\.jpg$/.test(answer.url())) sprites.push(`${answer.status()} ${answer.headers()['content-type']}`)
      })
      await page.goto(`/titles/${titleId}`)
      await pressPlay(page)
      await page.locator('media-player').evaluate(player => (player as unknown as { pause: () => Promise<void> }).pause())
      const slider = await shown(page.locator('media-time-slider'))
      const box = await slider.boundingBox()
      if (!box) throw new Error('the time slider has no box')
      const y = box.y + box.height / 2

      // Hover near the start, then near the end: two different tiles of the sheet.
      await page.mouse.move(box.x + box.width * 0.02, y)
      await page.waitForFunction(() => document.querySelector('media-time-slider media-slider-preview')?.hasAttribute('data-visible'))
      await page.waitForFunction(() => document.querySelector('media-slider-thumbnail')?.hasAttribute('data-loading') === false)
      const early = await previewOf(page)
      expect(early.image).toMatch(/\/media\/\d+\/thumbs\/sprite0000\.jpg$/)
      expect(early.width).toBeGreaterThan(100)
      expect(early.height).toBeGreaterThan(50)
      expect(early.time).toBe('0:00')
      // Above the bar, near the pointer.
      const previewBox = await page.locator('media-slider-thumbnail').boundingBox()
      expect((previewBox?.y ?? 0) + (previewBox?.height ?? 0)).toBeLessThanOrEqual(box.y + 1)

      await page.mouse.move(box.x + box.width * 0.95, y)
      await page.waitForFunction(
        () => !/^0:0[0-4]$/.test(document.querySelector('media-time-slider media-slider-value')?.textContent?.trim() ?? ''),
      )
      const late = await previewOf(page)
      await saveScreenshot(page, 'seek-preview', { fullPage: false })
      expect(late.clip).not.toBe(early.clip)
      expect(late.left).toBeGreaterThan(early.left)
      expect(sprites.length).toBeGreaterThan(0)
      expect(sprites.every(line => line === '200 image/jpeg')).toBe(true)

      // Dragging shows it on the way; releasing seeks the video there.
      await page.mouse.move(box.x + 2, y)
      await page.mouse.down()
      await page.mouse.move(box.x + box.width * 0.6, y, { steps: 5 })
      expect((await previewOf(page)).isVisible).toBe(true)
      await page.mouse.up()
      await page.waitForFunction(() => (document.querySelector('media-player') as unknown as { currentTime: number }).currentTime > 5)

      expect(cspViolations(problems)).toEqual([])
      expect(unexpectedProblems(problems)).toEqual([])
      await context.close()
    },
    browserTestMs,
  )
})
