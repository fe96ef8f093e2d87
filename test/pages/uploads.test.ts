// "My uploads" in a real browser, in both languages: a file that fails shows its reason in
// the viewer's language, is retried (a new job runs), says when its file is gone, and is
// deleted behind a confirmation; the owner's catalogue card carries a badge others do not
// see; a video followed live ends "Ready" without a reload; everything works without JS.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readFileSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { addTitle } from '../helpers/catalogue'
import { type Client, signUp } from '../helpers/client'
import { eventually, randomVideo } from '../helpers/media'
import type { TestServer } from '../helpers/server'
import { makeSource } from '../helpers/transcode'
import { sourcesFolder } from '../helpers/transcode-server'
import { openSignedInTab, startServerAndBrowser, stopServerAndBrowser, uploadVideo } from '../helpers/upload-pages'
import { browserTestMs, cspViolations, openTab, saveScreenshot, setupMs, shown, textOf, unexpectedProblems } from './browser'

let server: TestServer
let browser: Browser
const sources = sourcesFolder('moviepoint-uploads-page-')

beforeAll(async () => {
  ;({ server, browser } = await startServerAndBrowser())
}, setupMs)
afterAll(() => stopServerAndBrowser({ server, browser }))

const words = {
  en: {
    myUploads: 'My uploads',
    failed: 'Failed: The file is not a video ffmpeg can read.',
    badgeFailed: 'Processing failed',
    retry: (name: string) => `Retry ${name}`,
    sourceGone: /The uploaded file has been removed since/,
    delete: 'Delete…',
    deleteConfirm: 'Delete the video',
    none: 'You have not uploaded any video yet.',
    ready: 'Ready',
  },
  ru: {
    myUploads: 'Мои загрузки',
    failed: 'Не удалось: Файл не является видео, которое может прочитать ffmpeg.',
    badgeFailed: 'Обработка не удалась',
    retry: (name: string) => `Повторить ${name}`,
    sourceGone: /Загруженный файл с тех пор удалён/,
    delete: 'Удалить…',
    deleteConfirm: 'Удалить видео',
    none: 'Вы ещё не загрузили ни одного видео.',
    ready: 'Готово',
  },
}

async function statusOf(client: Client, mediaId: number): Promise<string> {
  return (await client.get(`/api/v1/media/${mediaId}`)).body.media.status
}

// A user with one failed upload (random bytes), and a browser tab signed in as them.
async function ownerWithFailedUpload(name: string, options: { javaScriptEnabled?: boolean } = {}) {
  const owner = await signUp(server.url)
  const titleId = (await addTitle(owner, { name })).id
  const mediaId = await uploadVideo(owner, titleId, randomVideo(4096))
  await eventually(async () => (await statusOf(owner, mediaId)) === 'failed', 30_000)
  const tab = await openSignedInTab({ server, browser }, owner, options)
  return { owner, titleId, mediaId, tab }
}

const rowOf = (page: Page, name: string) => page.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) })

const jobLines = (mediaId: number) => server.output().match(new RegExp(`^job \\d+ media ${mediaId} attempt 1: `, 'gm'))?.length ?? 0

function removeSource(mediaId: number) {
  const folder = join(server.mediaDir, String(mediaId))
  for (const file of readdirSync(folder)) if (file.startsWith('source.')) rmSync(join(folder, file))
}

describe('my uploads', () => {
  for (const lang of ['en', 'ru'] as const) {
    test(
      `${lang}: a failed upload shows why, is retried, says when its file is gone, and is deleted`,
      async () => {
        const w = words[lang]
        const name = `Broken ${lang} ${Date.now()}`
        const { owner, mediaId, tab } = await ownerWithFailedUpload(name)
        const { page } = tab

        await page.goto(`/?lang=${lang}`)
        const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name }) })
        expect(await textOf(card.getByText(w.badgeFailed))).toBe(w.badgeFailed)
        const stranger = await openTab(browser, server.url)
        await stranger.page.goto(`/?lang=${lang}`)
        await shown(stranger.page.getByRole('heading', { name }))
        expect(await stranger.page.getByText(w.badgeFailed).count()).toBe(0)
        await stranger.context.close()

        await page.getByRole('navigation').getByRole('link', { name: w.myUploads }).click()
        await shown(page.getByRole('heading', { name: w.myUploads, level: 1 }))
        const row = rowOf(page, name)
        expect(await textOf(row.getByRole('cell').nth(0))).toBe(w.failed)
        await saveScreenshot(page, `my-uploads-failed-${lang}`)

        expect(jobLines(mediaId)).toBe(1)
        await row.getByRole('button', { name: w.retry(name) }).click()
        // A fresh job ran the file again (and random bytes fail again); the list follows it.
        await eventually(() => jobLines(mediaId) === 2, 30_000)
        expect(await textOf(rowOf(page, name).getByText(w.failed))).toBe(w.failed)

        removeSource(mediaId)
        await page.reload()
        expect(await textOf(rowOf(page, name).getByText(w.sourceGone))).toMatch(w.sourceGone)
        expect(
          await rowOf(page, name)
            .getByRole('button', { name: w.retry(name) })
            .count(),
        ).toBe(0)

        await rowOf(page, name).getByText(w.delete).click()
        await rowOf(page, name).getByRole('button', { name: w.deleteConfirm }).click()
        expect(await textOf(page.getByText(w.none))).toBe(w.none)
        expect((await owner.get(`/api/v1/media/${mediaId}`)).status).toBe(404)
        expect(unexpectedProblems(tab.problems)).toEqual([])
        await tab.context.close()
      },
      browserTestMs,
    )
  }

  test(
    'en: a video being processed shows its percent and turns "Ready" without a reload',
    async () => {
      const owner = await signUp(server.url)
      const name = `Live ${Date.now()}`
      const titleId = (await addTitle(owner, { name })).id
      const source = await makeSource(join(sources, 'live.mp4'), { width: 640, height: 360, durationSec: 12 })
      const mediaId = await uploadVideo(owner, titleId, new Uint8Array(readFileSync(source)))
      const tab = await openSignedInTab({ server, browser }, owner)
      let navigations = 0
      tab.page.on('framenavigated', frame => {
        if (frame === tab.page.mainFrame()) navigations += 1
      })
      const loaded = await tab.page.goto('/me/uploads?lang=en')
      // The page came while the video was waiting or processing, with its percent bar…
      expect((await loaded?.text()) ?? '').toContain('role="status"')
      const row = rowOf(tab.page, name)
      // …and it turns "Ready" in place: the list is swapped in, the page never reloaded.
      expect(await textOf(row.getByText(words.en.ready, { exact: true }))).toBe(words.en.ready)
      expect(navigations).toBe(1)
      expect(await statusOf(owner, mediaId)).toBe('ready')
      expect(cspViolations(tab.problems)).toEqual([])
      expect(unexpectedProblems(tab.problems)).toEqual([])
      await tab.context.close()
    },
    browserTestMs * 2,
  )

  test(
    'en without JavaScript: retry and delete are plain forms',
    async () => {
      const name = `No script ${Date.now()}`
      const { owner, mediaId, tab } = await ownerWithFailedUpload(name, { javaScriptEnabled: false })
      const { page } = tab
      await page.goto('/me/uploads?lang=en')
      await rowOf(page, name)
        .getByRole('button', { name: words.en.retry(name) })
        .click()
      await page.waitForURL(/\/me\/uploads$/)
      await eventually(() => jobLines(mediaId) === 2, 30_000)
      await rowOf(page, name).getByText(words.en.delete).click()
      await rowOf(page, name).getByRole('button', { name: words.en.deleteConfirm }).click()
      await page.waitForURL(/\/me\/uploads$/)
      expect(await textOf(page.getByText(words.en.none))).toBe(words.en.none)
      expect((await owner.get(`/api/v1/media/${mediaId}`)).status).toBe(404)
      await tab.context.close()
    },
    browserTestMs,
  )
})
