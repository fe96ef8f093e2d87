// The admin's transcoding queue in a real browser, in both languages: reached from the users
// page, it shows the disk, a running job with its percent (cancelled: its ffmpeg stops and
// the video fails as cancelled) and a failed one with ffprobe's last lines (retried: a new
// job runs). Anyone else is refused.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { addTitle } from '../helpers/catalogue'
import { type Client, signUp } from '../helpers/client'
import { eventually, randomVideo } from '../helpers/media'
import type { TestServer } from '../helpers/server'
import { makeSource } from '../helpers/transcode'
import { sourcesFolder } from '../helpers/transcode-server'
import { openSignedInTab, startServerAndBrowser, stopServerAndBrowser, uploadVideo } from '../helpers/upload-pages'
import { browserTestMs, saveScreenshot, setupMs, shown, textOf, unexpectedProblems } from './browser'

let server: TestServer
let browser: Browser
let admin: Client
let slowSource: string
const sources = sourcesFolder('moviepoint-admin-queue-')

beforeAll(async () => {
  ;[{ server, browser }, slowSource] = await Promise.all([
    startServerAndBrowser({ admins: '1\n', env: { MOVIEPOINT_JOB_LEASE_MS: '2000' } }),
    makeSource(join(sources, 'slow.mp4'), { width: 1280, height: 720, durationSec: 20, videoFilter: 'noise=alls=40:allf=t' }),
  ])
  admin = await signUp(server.url) // user 1, listed in admins.txt
}, setupMs)
afterAll(() => stopServerAndBrowser({ server, browser }))

const words = {
  en: {
    users: 'Users',
    queue: 'Transcoding queue',
    disk: /^Media folder: .+ used; .+ free of .+ on its disk\.$/,
    running: 'Processing the video:',
    cancel: (id: number) => `Cancel job ${id}`,
    cancelled: 'Failed: Processing was cancelled by an admin.',
    notAVideo: 'Failed: The file is not a video ffmpeg can read.',
    stderr: 'Last lines of ffmpeg or ffprobe',
    retry: (id: number) => `Retry job ${id}`,
    onlyAdmins: 'Only admins may do this.',
  },
  ru: {
    users: 'Пользователи',
    queue: 'Очередь обработки',
    disk: /^Папка видео: занято .+; свободно .+ из .+ на её диске\.$/,
    running: 'Обработка видео:',
    cancel: (id: number) => `Отменить задание ${id}`,
    cancelled: 'Не удалось: Обработку отменил администратор.',
    notAVideo: 'Не удалось: Файл не является видео, которое может прочитать ffmpeg.',
    stderr: 'Последние строки ffmpeg или ffprobe',
    retry: (id: number) => `Повторить задание ${id}`,
    onlyAdmins: 'Это могут только администраторы.',
  },
}

async function upload(client: Client, name: string, body: Uint8Array<ArrayBuffer>): Promise<number> {
  return uploadVideo(client, (await addTitle(client, { name })).id, body)
}

async function jobOf(mediaId: number) {
  const jobs = (await admin.get('/api/v1/admin/jobs?perPage=100')).body.items
  return jobs.find((job: { mediaId: number }) => job.mediaId === mediaId)
}

const signedInTab = (client: Client) => openSignedInTab({ server, browser }, client)

// ffmpeg processes working in a media folder, found through /proc.
function ffmpegsIn(folder: string): number {
  return readdirSync('/proc').filter(pid => {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
      return argv[0].endsWith('ffmpeg') && argv.some(arg => arg.startsWith(folder))
    } catch {
      return false
    }
  }).length
}

const jobRow = (page: Page, id: number) => page.locator(`tr[data-job-id="${id}"]`)
const jobLines = (mediaId: number) => server.output().match(new RegExp(`^job \\d+ media ${mediaId} attempt 1: `, 'gm'))?.length ?? 0

describe('the admin queue page', () => {
  for (const lang of ['en', 'ru'] as const) {
    test(
      `${lang}: shows the disk and the jobs, cancels a running one, retries a failed one`,
      async () => {
        const w = words[lang]
        const owner = await signUp(server.url)
        const broken = await upload(owner, `Garbage ${lang}`, randomVideo(4096))
        await eventually(async () => (await jobOf(broken))?.status === 'failed', 30_000)
        const slow = await upload(owner, `Slow ${lang}`, new Uint8Array(readFileSync(slowSource)))
        const folder = join(server.mediaDir, String(slow))
        await eventually(() => ffmpegsIn(folder) > 0, 60_000)

        const tab = await signedInTab(admin)
        const { page } = tab
        await page.goto(`/admin/users?lang=${lang}`)
        await page
          .getByRole('navigation', { name: lang === 'en' ? 'Administration' : 'Администрирование' })
          .getByRole('link', { name: w.queue })
          .click()
        await shown(page.getByRole('heading', { name: w.queue, level: 1 }))
        expect(await textOf(page.locator('.disk-use'))).toMatch(w.disk)

        const running = await jobOf(slow)
        expect(await textOf(jobRow(page, running.id).getByRole('status'))).toContain(w.running)
        const failed = await jobOf(broken)
        const failedRow = jobRow(page, failed.id)
        expect(await textOf(failedRow.getByText(w.notAVideo))).toBe(w.notAVideo)
        await failedRow.getByText(w.stderr).click()
        expect(await textOf(failedRow.locator('pre'))).toContain('Invalid data found when processing input')
        await saveScreenshot(page, `admin-queue-${lang}`)

        await jobRow(page, running.id)
          .getByRole('button', { name: w.cancel(running.id) })
          .click()
        expect(await textOf(jobRow(page, running.id).getByText(w.cancelled))).toBe(w.cancelled)
        await eventually(() => ffmpegsIn(folder) === 0, 10_000)

        await jobRow(page, failed.id)
          .getByRole('button', { name: w.retry(failed.id) })
          .click()
        await eventually(() => jobLines(broken) === 2, 30_000)
        const again = await jobOf(broken)
        expect(again.id).not.toBe(failed.id)
        expect(again).toMatchObject({ status: 'failed', attempts: 1 })
        expect(unexpectedProblems(tab.problems)).toEqual([])
        await tab.context.close()
      },
      browserTestMs * 2,
    )
  }

  test(
    'is refused to people who are not admins',
    async () => {
      const user = await signUp(server.url)
      const tab = await signedInTab(user)
      const answer = await tab.page.goto('/admin/queue?lang=en')
      expect(answer?.status()).toBe(403)
      expect(await textOf(tab.page.getByText(words.en.onlyAdmins))).toBe(words.en.onlyAdmins)
      // The form post itself, with the user's valid CSRF token: refused on the server.
      const cancel = await user.post('/admin/queue/1/cancel', new URLSearchParams({ _csrf: user.csrfToken ?? '' }).toString(), {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      })
      expect(cancel.status).toBe(403)
      expect(cancel.text).toContain(words.en.onlyAdmins)
      await tab.context.close()
    },
    browserTestMs,
  )
})
