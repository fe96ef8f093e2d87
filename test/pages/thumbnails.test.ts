// Seek-bar previews in Chromium: hovering the seek bar under the video shows the frame of
// that time (a tile of a sprite sheet named by thumbs.vtt) above the pointer; dragging
// shows it too, and releasing seeks there.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { signUp } from '../helpers/client'
import { type TestServer, startServer } from '../helpers/server'
import { createMovie, enqueueSourceFile, isFinished, makeSource, openServerDb, waitForMedia } from '../helpers/transcode'
import { browserTestMs, cspViolations, launchBrowser, openTab, saveScreenshot, setupMs, shown, unexpectedProblems } from './browser'

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

type PreviewLook = { hidden: boolean; image: string; position: string; width: number; height: number; left: number; time: string }

const previewOf = (page: Page) =>
  page.locator('[data-seek-preview]').evaluate((el: HTMLElement): PreviewLook => {
    const style = getComputedStyle(el)
    const box = el.getBoundingClientRect()
    return {
      hidden: el.hidden,
      image: style.backgroundImage,
      position: style.backgroundPosition,
      width: box.width,
      height: box.height,
      left: box.left,
      time: el.textContent ?? '',
    }
  })

describe('seek-bar previews', () => {
  test(
    'hovering the seek bar shows the frame of that time from a sprite sheet; dragging too, and releasing seeks',
    async () => {
      const { page, context, problems } = await openTab(browser, server.url)
      const sprites: string[] = []
      page.on('response', answer => {
        if (/\/thumbs\/sprite\d+\.jpg$/.test(answer.url())) sprites.push(`${answer.status()} ${answer.headers()['content-type']}`)
      })
      await page.goto(`/titles/${titleId}`)
      const range = await shown(page.locator('[data-seekbar] input[type="range"]'))
      await range.scrollIntoViewIfNeeded()
      const box = await range.boundingBox()
      if (!box) throw new Error('the seek bar has no box')
      const y = box.y + box.height / 2

      // Hover near the start, then near the end: two different tiles of the sheet.
      await page.mouse.move(box.x + box.width * 0.05, y)
      await page.waitForFunction(() => getComputedStyle(document.querySelector('[data-seek-preview]') as Element).display !== 'none')
      const early = await previewOf(page)
      expect(early.hidden).toBe(false)
      expect(early.image).toMatch(/url\(".*\/media\/\d+\/thumbs\/sprite0000\.jpg"\)/)
      expect(early.width).toBeGreaterThan(100)
      expect(early.height).toBeGreaterThan(50)
      expect(early.time).toBe('0:00')
      // Above the bar, near the pointer.
      const previewBox = await page.locator('[data-seek-preview]').boundingBox()
      expect((previewBox?.y ?? 0) + (previewBox?.height ?? 0)).toBeLessThanOrEqual(box.y + 1)

      await page.mouse.move(box.x + box.width * 0.95, y)
      await page.waitForFunction(() => !/^0:0[0-4]$/.test(document.querySelector('[data-seek-time]')?.textContent ?? ''))
      const late = await previewOf(page)
      await saveScreenshot(page, 'seek-preview')
      expect(late.position).not.toBe(early.position)
      expect(late.left).toBeGreaterThan(early.left)
      expect(sprites.length).toBeGreaterThan(0)
      expect(sprites.every(line => line === '200 image/jpeg')).toBe(true)

      // Leaving hides it.
      await page.mouse.move(box.x + box.width / 2, box.y - 200)
      await page.waitForFunction(() => (document.querySelector('[data-seek-preview]') as HTMLElement).hidden)

      // Dragging shows it on the way; releasing seeks the video there.
      await page.mouse.move(box.x + 2, y)
      await page.mouse.down()
      await page.mouse.move(box.x + box.width * 0.6, y, { steps: 5 })
      expect((await previewOf(page)).hidden).toBe(false)
      await page.mouse.up()
      await page.waitForFunction(() => (document.querySelector('[data-player] video') as HTMLVideoElement).currentTime > 5)

      expect(cspViolations(problems)).toEqual([])
      expect(unexpectedProblems(problems)).toEqual([])
      await context.close()
    },
    browserTestMs,
  )
})
