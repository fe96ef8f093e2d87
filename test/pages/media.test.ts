// The main scenario, end to end in Chromium against the real server and its transcoding
// worker: register, add «Брат 2», trim a generated 12 s clip to 4 s in the page, upload the
// cut, watch the processing percent, then play it and switch quality, audio and subtitles.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page, Request } from 'playwright-core'
import { eq } from 'drizzle-orm'
import { media } from '../../src/db/schema'
import { Client, signUp } from '../helpers/client'
import { createMovie, enqueueSourceFile, isFinished, openServerDb, waitForMedia } from '../helpers/transcode'
import { type TestServer, startServer } from '../helpers/server'
import {
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
import { chooseInSettings, playedPast, playerState, playerWords, pressPlay, submenuOptions } from './player-ui'

let server: TestServer
let browser: Browser
let clipDir: string
let clipPath: string
let smallClipPath: string

// One cue a second, so that any cut keeps some; Russian subtitles, English and Russian audio.
function subtitleFile(): string {
  const at = (sec: number) => `00:00:${String(sec).padStart(2, '0')},000`
  return Array.from({ length: 12 }, (_, i) => `${i + 1}\n${at(i)} --> ${at(i + 1)}\nРеплика ${i + 1}\n`).join('\n')
}

async function generateClip(dir: string, size = '1920x1080', name = 'brat2.mp4'): Promise<string> {
  const srt = join(dir, 'subs.srt')
  writeFileSync(srt, subtitleFile())
  const output = join(dir, name)
  const ffmpeg = Bun.spawn(
    [
      'ffmpeg',
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=${size}:rate=24:duration=12`,
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:duration=12',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=660:duration=12',
      '-i',
      srt,
      '-map',
      '0:v',
      '-map',
      '1:a',
      '-map',
      '2:a',
      '-map',
      '3:s',
      // A keyframe every 2 s: the lossless cut from 2 s starts exactly there.
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-g',
      '48',
      '-keyint_min',
      '48',
      '-sc_threshold',
      '0',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-b:a',
      '96k',
      '-c:s',
      'mov_text',
      '-metadata:s:a:0',
      'language=eng',
      '-metadata:s:a:1',
      'language=rus',
      '-metadata:s:s:0',
      'language=rus',
      '-movflags',
      '+faststart',
      output,
    ],
    { stderr: 'pipe' },
  )
  if ((await ffmpeg.exited) !== 0) throw new Error(`ffmpeg failed: ${await new Response(ffmpeg.stderr).text()}`)
  return output
}

beforeAll(async () => {
  clipDir = mkdtempSync(join(tmpdir(), 'moviepoint-clip-'))
  ;[server, browser, clipPath, smallClipPath] = await Promise.all([
    startServer({ ini: { Workers: 1 } }),
    launchBrowser(),
    generateClip(clipDir),
    generateClip(clipDir, '640x360', 'small.mp4'),
  ])
}, setupMs)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  if (clipDir) rmSync(clipDir, { recursive: true, force: true })
})

// Every percent the processing block shows, as the event stream updates it.
async function recordPercents(page: Page) {
  await page.evaluate(() => {
    const seen: string[] = []
    ;(window as unknown as { percents: string[] }).percents = seen
    new MutationObserver(() => {
      const text = document.querySelector('[data-percent]')?.textContent
      if (text && seen.at(-1) !== text) seen.push(text)
    }).observe(document.body, { subtree: true, childList: true, characterData: true })
  })
}

const videoOf = (page: Page) => page.locator('[data-player] video')
const playerOf = (page: Page) => page.locator('[data-player] media-player')

describe('upload, processing and playback', () => {
  test('a new user adds «Брат 2», trims a 12 s clip to 4 s in the page, uploads it and plays it', async () => {
    const { page, context, problems } = await openTab(browser, server.url)
    const requests: string[] = []
    page.on('request', (request: Request) => requests.push(new URL(request.url()).pathname))
    await registerInBrowser(page)
    const titleId = await createTitleInBrowser(page, { name: 'Брат 2', originalName: 'Brother 2', year: '2000' })

    // The chosen file plays locally at once.
    await page.getByLabel('Video file').setInputFiles(clipPath)
    await page.waitForFunction(() => (document.querySelector('[data-local]') as HTMLVideoElement)?.duration > 11)
    expect(requests.filter(path => path.includes('ffmpeg'))).toEqual([])
    await page.getByLabel('Start, in seconds').fill('2')
    await page.getByLabel('End, in seconds').fill('6')
    await page.getByRole('button', { name: 'Preview the cut' }).click()
    await shown(page.getByText(/The cut part is ready: 2\.00–6\.\d\d s of the file, (3\.9\d|4\.0\d) s/), 90_000)
    await page.waitForFunction(() => {
      const cut = document.querySelector('[data-cut]') as HTMLVideoElement
      return cut && Math.abs(cut.duration - 4) < 0.3
    })
    await saveScreenshot(page, 'upload-trim')

    await recordPercents(page)
    await page.getByRole('button', { name: 'Upload the cut part' }).click()
    await shown(page.locator('[data-processing]'), 30_000)
    await saveScreenshot(page, 'processing')
    await shown(playerOf(page), 180_000)
    const percents = await page.evaluate(() => (window as unknown as { percents: string[] }).percents)
    expect(percents.length).toBeGreaterThan(0)
    expect(percents.every(text => /^\d{1,3}%$|^$/.test(text))).toBe(true)

    // The stored video is the cut, not the whole clip.
    const { media } = (await new Client(server.url).get(`/api/v1/titles/${titleId}`)).body.title
    expect(Math.abs(media.durationSec - 4)).toBeLessThan(0.6)
    expect(media.renditions.length).toBeGreaterThan(1)

    // Playback: time advances. When processing ends before anyone watches, the finished
    // section replaces the player, which aborts a play() on the old video element: play
    // is asked again of whichever element is there until time moves.
    await page.waitForFunction(() => document.querySelector('[data-processing]') === null, undefined, { timeout: 120_000 })
    await playedPast(page, 0.5)

    // Quality: a rung not loaded so far; hls.js then fetches that rung's segments.
    const rungOf = (height: number) => media.renditions.findIndex((r: { height: number }) => r.height === height)
    const heights: number[] = media.renditions.map((r: { height: number }) => r.height)
    const target = heights.find(h => !requests.some(path => path.includes(`/stream_${rungOf(h)}/`))) ?? heights[0]
    const segmentOfTarget = page.waitForRequest(r => r.url().includes(`/stream_${rungOf(target)}/`), { timeout: 30_000 })
    await chooseInSettings(page, 'en', [playerWords.en.quality], new RegExp(`^${media.renditions[rungOf(target)].name}`))
    await segmentOfTarget

    // Audio: Russian loads audio_ru.
    const russianAudio = page.waitForRequest(r => r.url().includes('/audio_ru'), { timeout: 30_000 })
    await chooseInSettings(page, 'en', [playerWords.en.audio, playerWords.en.track], 'Русский')
    await russianAudio

    // Subtitles: a cue shows. Paused at 0.5 s, so that the 4 s video cannot run past
    // its cues while a busy machine is still loading the subtitles. (The player swapped
    // in at the end once got the master from the browser's cache, without the subtitles:
    // test/pages/master-freshness.test.ts.)
    await chooseInSettings(page, 'en', [playerWords.en.subtitles], 'Русский')
    await videoOf(page).evaluate((video: HTMLVideoElement) => {
      video.pause()
      video.currentTime = 0.5
    })
    // vidstack draws the cues of its own text tracks over the picture.
    type Tracks = { textTracks: { toArray: () => { mode: string; activeCues: { text: string }[] }[] } }
    await page.waitForFunction(
      () =>
        (document.querySelector('media-player') as unknown as Tracks).textTracks
          .toArray()
          .some(track => track.mode === 'showing' && track.activeCues.length > 0),
      undefined,
      { timeout: 30_000 },
    )
    const cue = await playerOf(page).evaluate(player => {
      const track = (player as unknown as Tracks).textTracks.toArray().find(t => t.mode === 'showing')
      return track?.activeCues[0]?.text ?? ''
    })
    expect(cue).toMatch(/^Реплика \d+$/)
    await saveScreenshot(page, 'player')
    await videoOf(page).evaluate((video: HTMLVideoElement) => video.play())

    // Never the whole file: only playlists and segments, and the source is not served.
    expect(requests.some(path => /\/media\/\d+\/source/.test(path))).toBe(false)

    // Continue watching: paused at 2 s, offered again on return.
    const saved = page.waitForResponse(r => r.url().endsWith('/position') && r.request().method() === 'PUT')
    await videoOf(page).evaluate(async (video: HTMLVideoElement) => {
      video.currentTime = 2
      await new Promise(resolve => video.addEventListener('seeked', resolve, { once: true }))
      video.pause()
    })
    expect((await saved).status()).toBe(200)
    await page.reload()
    await page.getByRole('button', { name: 'Continue from 0:02' }).click()
    await page.waitForFunction(() => ((document.querySelector('[data-player] video') as HTMLVideoElement | null)?.currentTime ?? 0) >= 2)

    // The owner adds English subtitles with the page's form; the menu then offers them.
    await page.getByText('Add subtitles').click()
    const form = page.locator('.subtitle-form')
    await form.getByLabel('Subtitle file (.srt or .vtt)').setInputFiles({
      name: 'english.vtt',
      mimeType: 'text/vtt',
      buffer: Buffer.from('WEBVTT\n\n00:00.000 --> 00:03.000\nEnglish line\n'),
    })
    await form.getByLabel('Language').selectOption('en')
    await form.getByRole('button', { name: 'Add the subtitles' }).click()
    await page.waitForURL(/#video$/)
    await pressPlay(page)
    const offered = await submenuOptions(page, 'en', [playerWords.en.subtitles])
    expect(offered.sort()).toEqual(['English', 'Off', 'Русский'])

    // The same page in Russian, at phone width.
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto(`/titles/${titleId}?lang=ru`)
    await shown(page.getByRole('button', { name: playerWords.ru.play, exact: true }))
    await saveScreenshot(page, 'title-phone-ru')

    expect(cspViolations(problems)).toEqual([])
    await context.close()
  }, 300_000)

  test('under a player, the processing percent moves; at the end it goes without stopping playback, or the fresh section comes in', async () => {
    // A real ladder to play, then the row set back to `processing`, as a long film's
    // would be while its first segments already play.
    const { db, client } = openServerDb(server)
    const owner = await signUp(server.url)
    const titleId = await createMovie(db, owner.userId)
    const mediaId = await enqueueSourceFile(server, db, { titleId, ownerId: owner.userId, sourcePath: smallClipPath })
    expect((await waitForMedia(db, mediaId, isFinished)).status).toBe('ready')
    const setState = (status: 'processing' | 'ready', progress: number) =>
      db.update(media).set({ status, progress }).where(eq(media.id, mediaId))
    const markVideo = (page: Page) => playerOf(page).evaluate(player => player.setAttribute('data-marked', ''))
    const isSameVideo = (page: Page) => playerOf(page).evaluate(player => player.hasAttribute('data-marked'))

    await setState('processing', 0.4)
    const { page, context, problems } = await openTab(browser, server.url)
    await page.goto(`/titles/${titleId}`)
    await shown(playerOf(page))
    expect(await textOf(page.locator('[data-processing] [data-percent]'))).toBe('40%')
    await setState('processing', 0.7)
    await shown(page.locator('[data-processing] [data-percent]', { hasText: '70%' }))

    // Watching: the block goes, the same player plays on.
    await markVideo(page)
    await pressPlay(page)
    await setState('ready', 1)
    await page.waitForFunction(() => document.querySelector('[data-processing]') === null, undefined, { timeout: 15_000 })
    expect(await isSameVideo(page)).toBe(true)
    expect((await playerState(page)).isPaused).toBe(false)

    // Not watching yet: the section is swapped for the finished one.
    await setState('processing', 0.9)
    await page.reload()
    await shown(page.locator('[data-processing]'))
    await markVideo(page)
    await setState('ready', 1)
    await page.waitForFunction(() => document.querySelector('[data-processing]') === null, undefined, { timeout: 15_000 })
    await shown(playerOf(page))
    expect(await isSameVideo(page)).toBe(false)

    expect(cspViolations(problems)).toEqual([])
    await context.close()
    client.close()
  }, 120_000)

  test('cuts losslessly from the keyframe before the start, or exactly from the start when asked', async () => {
    const { page, context, problems } = await openTab(browser, server.url)
    await registerInBrowser(page)
    await createTitleInBrowser(page, { name: 'Точная обрезка' })
    await page.getByLabel('Video file').setInputFiles(smallClipPath)
    await page.waitForFunction(() => (document.querySelector('[data-local]') as HTMLVideoElement)?.duration > 11)
    const cutDuration = async () => {
      await page.getByRole('button', { name: 'Preview the cut' }).click()
      await shown(page.getByText(/The cut part is ready/), 90_000)
      await page.waitForFunction(() => (document.querySelector('[data-cut]') as HTMLVideoElement).duration > 0)
      return page.locator('[data-cut]').evaluate((video: HTMLVideoElement) => video.duration)
    }
    await page.getByLabel('Start, in seconds').fill('1.5')
    await page.getByLabel('End, in seconds').fill('3.5')
    const lossless = await cutDuration()
    await page.getByLabel(/Exact cut/).check()
    const exact = await cutDuration()
    expect(Math.abs(exact - 2)).toBeLessThan(0.15)
    // Keyframes every 2 s: the lossless cut starts at 0 s, so it is longer.
    expect(lossless).toBeGreaterThan(exact + 1)
    expect(cspViolations(problems)).toEqual([])
    await context.close()
  }, 180_000)

  test('says clearly when a file is too large to trim in the browser, and still offers to upload it whole', async () => {
    const { page, context } = await openTab(browser, server.url)
    await registerInBrowser(page)
    await createTitleInBrowser(page, { name: 'Большой файл' })
    // The real limit is 2 GB; the page takes it from the server-rendered attribute.
    await page.locator('[data-upload]').evaluate((el: HTMLElement) => {
      el.dataset.maxTrimBytes = '1000'
    })
    await page.getByLabel('Video file').setInputFiles(smallClipPath)
    await shown(page.getByText('This file is larger than 2 GB: it cannot be trimmed in the browser, but it can be uploaded whole.'))
    await page.waitForFunction(() => (document.querySelector('[data-local]') as HTMLVideoElement)?.duration > 0)
    expect(await page.getByRole('button', { name: 'Upload the cut part' }).isVisible()).toBe(false)
    expect(await page.getByRole('button', { name: 'Upload the whole file' }).isVisible()).toBe(true)
    expect(await page.getByLabel('Start, in seconds').isDisabled()).toBe(true)
    await context.close()
  }, 60_000)

  test('an upload interrupted by a reload continues with the same file', async () => {
    const { page, context } = await openTab(browser, server.url)
    const creations: string[] = []
    page.on('request', request => {
      if (request.method() === 'POST' && request.url().endsWith('/api/v1/uploads')) creations.push(request.url())
    })
    await registerInBrowser(page)
    await createTitleInBrowser(page, { name: 'Докачка' })
    // A slow uplink, so that the upload is still running when it is paused.
    const devtools = await context.newCDPSession(page)
    const uplink = (bytesPerSec: number) =>
      devtools.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: bytesPerSec,
      })
    await devtools.send('Network.enable')
    await uplink(2 * 1024 * 1024)
    await page.getByLabel('Video file').setInputFiles(clipPath)
    await page.getByRole('button', { name: 'Upload the whole file' }).click()
    await page.waitForFunction(() => (document.querySelector('[data-bar]') as HTMLProgressElement).value >= 10)
    await page.getByRole('button', { name: 'Pause' }).click()
    await shown(page.getByText(/^Paused at \d+%\.$/))
    await page.reload()
    await shown(page.getByText(/An upload of “brat2\.mp4” stopped at \d+%\. Choose the same file to continue it\./))
    await uplink(-1)
    await page.getByLabel('Video file').setInputFiles(clipPath)
    await page.getByRole('button', { name: 'Upload the whole file' }).click()
    await shown(page.locator('[data-processing]'), 60_000)
    expect(creations.length).toBe(1)
    await context.close()
  }, 120_000)
})
