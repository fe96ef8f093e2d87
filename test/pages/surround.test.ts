// A 5.1 source in the browser: the player offers its AAC 5.1 rendition beside the stereo
// one, and Chromium (hls.js over Media Source) plays it.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { signUp } from '../helpers/client'
import { type TestServer, startServer } from '../helpers/server'
import { createMovie, enqueueSourceFile, isFinished, makeSource, openServerDb, waitForMedia } from '../helpers/transcode'
import { launchBrowser, openTab, unexpectedProblems } from './browser'
import { chooseInSettings, playedPast, playerWords, pressPlay, submenuOptions } from './player-ui'

let server: TestServer
let browser: Browser
let dir: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'moviepoint-surround-'))
  ;[server, browser] = await Promise.all([
    startServer({ ini: { Workers: 1 }, env: { MOVIEPOINT_X264_PRESET: 'superfast' } }),
    launchBrowser(),
  ])
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('surround audio in the player', () => {
  test('the audio menu offers English 5.1, and choosing it plays audio_en-51 on', async () => {
    const source = await makeSource(join(dir, 'surround.mkv'), {
      width: 320,
      height: 180,
      durationSec: 6,
      audio: ['eng'],
      audioChannels: 6,
    })
    const { db, client } = openServerDb(server)
    const owner = await signUp(server.url)
    const titleId = await createMovie(db, owner.userId)
    const mediaId = await enqueueSourceFile(server, db, { titleId, ownerId: owner.userId, sourcePath: source })
    expect((await waitForMedia(db, mediaId, isFinished)).status).toBe('ready')

    const { page, context, problems } = await openTab(browser, server.url)
    await page.goto(`/titles/${titleId}`)
    // Playing first (hls.js knows its tracks once the master is parsed), then switched.
    await pressPlay(page)
    const { audio, track } = playerWords.en
    expect(await submenuOptions(page, 'en', [audio, track])).toEqual(['English', 'English 5.1'])
    const surroundSegment = page.waitForRequest(r => /\/audio_en-51\/data\d+\.ts$/.test(r.url()), { timeout: 30_000 })
    await chooseInSettings(page, 'en', [audio, track], 'English 5.1')
    await surroundSegment
    // The clip is 6 s: on a busy machine the menus may take most of it, so play it again
    // from the start, in 5.1.
    await page.locator('media-player').evaluate(player => {
      ;(player as unknown as { currentTime: number }).currentTime = 0
    })
    await playedPast(page, 1.5)
    expect(
      await page
        .locator('media-player')
        .evaluate(player => (player as unknown as { audioTracks: { selected: { label: string } } }).audioTracks.selected.label),
    ).toBe('English 5.1')
    expect(await page.locator('[data-player] video').evaluate((video: HTMLVideoElement) => video.error?.message ?? null)).toBeNull()
    expect(unexpectedProblems(problems)).toEqual([])
    await context.close()
    client.close()
  }, 120_000)
})
