// A copied top rung in the browser: Chromium (hls.js over Media Source) plays the source's
// own H.264 as stream_0, then switches to the encoded rung below at a segment boundary.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { signUp } from '../helpers/client'
import { type TestServer, startServer } from '../helpers/server'
import { createMovie, enqueueSourceFile, isFinished, makeSource, openServerDb, waitForJobLine, waitForMedia } from '../helpers/transcode'
import { launchBrowser, openTab, setupMs, unexpectedProblems } from './browser'
import { chooseInSettings, playedPast, playerWords, pressPlay } from './player-ui'

let server: TestServer
let browser: Browser
let dir: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'moviepoint-copy-page-'))
  ;[server, browser] = await Promise.all([
    startServer({ ini: { Workers: 1 }, env: { MOVIEPOINT_X264_PRESET: 'superfast' } }),
    launchBrowser(),
  ])
}, setupMs * 2)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('a copied top rung in the player', () => {
  test('Chromium plays stream_0 (the source MP4 with B-frames, copied) and switches to stream_1 at a boundary', async () => {
    const source = await makeSource(join(dir, 'phone.mp4'), {
      width: 854,
      height: 480,
      durationSec: 8,
      audio: ['eng'],
      audioChannels: 2,
      pixelFormat: 'yuv420p',
      preset: 'veryfast',
      keyframeSec: 2,
    })
    const { db, client } = openServerDb(server)
    const owner = await signUp(server.url)
    const titleId = await createMovie(db, owner.userId)
    const mediaId = await enqueueSourceFile(server, db, { titleId, ownerId: owner.userId, sourcePath: source })
    expect((await waitForMedia(db, mediaId, isFinished)).status).toBe('ready')
    await waitForJobLine(server, mediaId)
    expect(server.output()).toContain(`media ${mediaId}: top rung copied from the source; audio en copied`)

    const { page, context, problems } = await openTab(browser, server.url)
    await page.goto(`/titles/${titleId}`)
    const { quality } = playerWords.en
    const topSegment = page.waitForRequest(r => /\/stream_0\/data\d+\.ts$/.test(r.url()), { timeout: 30_000 })
    await pressPlay(page)
    await chooseInSettings(page, 'en', [quality], /^480p/)
    await playedPast(page, 0.5)
    await topSegment
    // Past the first cut (2 s) on the copied rung, then down to the encoded one.
    await playedPast(page, 2.5)
    const lowerSegment = page.waitForRequest(r => /\/stream_1\/data\d+\.ts$/.test(r.url()), { timeout: 30_000 })
    await chooseInSettings(page, 'en', [quality], /^360p/)
    await lowerSegment
    await playedPast(page, 6.5)
    const video = page.locator('[data-player] video')
    expect(await video.evaluate((el: HTMLVideoElement) => el.error?.message ?? null)).toBeNull()
    expect(await video.evaluate((el: HTMLVideoElement) => el.videoHeight)).toBe(360)
    expect(unexpectedProblems(problems)).toEqual([])
    await context.close()
    client.close()
  }, 120_000)
})
