// Uploading a video from a page without JavaScript: a plain multipart form whose file
// streams to disk, for the owner only, CSRF-checked like every other form.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { addTitle } from '../helpers/catalogue'
import { signUp } from '../helpers/client'
import { credentialsOf, randomVideo, sha256 } from '../helpers/media'
import { openRaw } from '../helpers/raw-http'
import { type TestServer, startServer } from '../helpers/server'
import { browserTestMs, createTitleInBrowser, launchBrowser, openTab, registerInBrowser, setupMs } from './browser'

let server: TestServer
let browser: Browser

beforeAll(async () => {
  ;[server, browser] = await Promise.all([startServer(), launchBrowser()])
}, setupMs)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

// The `_csrf` field first, as the page's form sends it: the server reads it before the file.
function formWith(file: Uint8Array<ArrayBuffer>, csrfToken?: string) {
  const form = new FormData()
  if (csrfToken !== undefined) form.append('_csrf', csrfToken)
  form.append('file', new File([file], 'clip.mp4', { type: 'video/mp4' }))
  return form
}

describe('video upload without JavaScript', () => {
  test(
    'sends the whole file through the plain form and the page then shows it queued',
    async () => {
      const { page, context } = await openTab(browser, server.url, { javaScriptEnabled: false })
      await registerInBrowser(page)
      const titleId = await createTitleInBrowser(page, { name: 'Без скриптов' })
      const video = randomVideo(3 * 1024 * 1024)
      const form = page.locator('form[enctype="multipart/form-data"]')
      await form.getByLabel('Video file').setInputFiles({ name: 'Брат 2.mp4', mimeType: 'video/mp4', buffer: Buffer.from(video) })
      await form.getByRole('button', { name: 'Upload the whole file' }).click()
      await page.waitForURL(new RegExp(`/titles/${titleId}#video$`))

      const answer = await (await fetch(`${server.url}/api/v1/titles/${titleId}`)).json()
      const media = answer.title.media
      expect(media.status).toBe('queued')
      const folder = join(server.mediaDir, String(media.id))
      expect(readdirSync(folder)).toEqual(['source.mp4'])
      expect(sha256(readFileSync(join(folder, 'source.mp4')))).toBe(sha256(video))
      await context.close()
    },
    browserTestMs,
  )

  test(
    'refuses the form from another user, without the CSRF token, or from another site',
    async () => {
      const owner = await signUp(server.url)
      const other = await signUp(server.url)
      const titleId = (await addTitle(owner, { name: 'Чужой' })).id
      const file = randomVideo(1024)
      const path = `/titles/${titleId}/video`
      const byOther = await other.post(path, formWith(file, other.csrfToken))
      expect(byOther.status).toBe(403)
      const noToken = await owner.post(path, formWith(file), { sendCsrf: false })
      expect(noToken.status).toBe(403)
      const foreign = await owner.post(path, formWith(file, owner.csrfToken), { origin: 'https://evil.example', sendCsrf: false })
      expect(foreign.status).toBe(403)
      const byOwner = await owner.post(path, formWith(file, owner.csrfToken), { sendCsrf: false })
      expect(byOwner.status).toBe(303)
      const media = (await (await fetch(`${server.url}/api/v1/titles/${titleId}`)).json()).title.media
      expect(media.status).toBe('queued')
    },
    browserTestMs,
  )
})

describe('a form upload over MaxUploadBytes', () => {
  test('is answered 413 within a second of crossing the cap, leaves no file, and the connection is closed', async () => {
    const small = await startServer({ ini: { MaxUploadBytes: '1M' } })
    try {
      const owner = await signUp(small.url)
      const titleId = (await addTitle(owner, { name: 'Слишком большой' })).id
      const boundary = 'capboundary'
      const token = `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${owner.csrfToken}\r\n`
      const head = `${token}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.mp4"\r\nContent-Type: video/mp4\r\n\r\n`
      const tail = `\r\n--${boundary}--\r\n`
      const file = randomVideo(1024 * 1024 + 10 * 1024)
      const connection = await openRaw(small.url)
      const headers = { ...credentialsOf(owner), host: new URL(small.url).host }
      await connection.write(
        [
          `POST /titles/${titleId}/video HTTP/1.1`,
          `Content-Type: multipart/form-data; boundary=${boundary}`,
          'Transfer-Encoding: chunked',
          ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
          '',
          '',
        ].join('\r\n'),
      )
      // Chunked, so no Content-Length tells the server the size up front.
      const chunk = (bytes: Uint8Array | string) =>
        connection.write(
          Buffer.concat([Buffer.from(`${Buffer.byteLength(bytes).toString(16)}\r\n`), Buffer.from(bytes), Buffer.from('\r\n')]),
        )
      await chunk(head)
      let crossedAtMs = 0
      for (let at = 0; at < file.length; at += 64 * 1024) {
        await chunk(file.subarray(at, at + 64 * 1024)).catch(() => {})
        if (!crossedAtMs && at + 64 * 1024 > 1024 * 1024) crossedAtMs = Date.now()
      }
      await chunk(tail).catch(() => {})
      await connection.write('0\r\n\r\n').catch(() => {})
      const answer = await Promise.race([connection.answer, Bun.sleep(5000).then(() => null)])
      expect(answer?.status).toBe(413)
      // connection.answer settles only once the server has closed the connection.
      expect(Date.now() - crossedAtMs).toBeLessThan(1000)
      expect(readdirSync(join(small.mediaDir, '.uploads'))).toEqual([])
      expect(readdirSync(small.mediaDir).filter(name => /^\d+$/.test(name))).toEqual([])
      const title = (await (await fetch(`${small.url}/api/v1/titles/${titleId}`)).json()) as { title: { media: unknown } }
      expect(title.title.media).toBeNull()
    } finally {
      await small.stop()
    }
  })
})
