// Uploading a video from a page without JavaScript: a plain multipart form whose file
// streams to disk, for the owner only, CSRF-checked like every other form.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { addTitle } from '../helpers/catalogue'
import { signUp } from '../helpers/client'
import { randomVideo, sha256 } from '../helpers/media'
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

function formWith(file: Uint8Array<ArrayBuffer>) {
  const form = new FormData()
  form.append('file', new File([file], 'clip.mp4', { type: 'video/mp4' }))
  return form
}

describe('video upload without JavaScript', () => {
  test('sends the whole file through the plain form and the page then shows it queued', async () => {
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
  }, browserTestMs)

  test('refuses the form from another user, without the CSRF token, or from another site', async () => {
    const owner = await signUp(server.url)
    const other = await signUp(server.url)
    const titleId = (await addTitle(owner, { name: 'Чужой' })).id
    const file = randomVideo(1024)
    const path = `/titles/${titleId}/video`
    const byOther = await other.post(`${path}?_csrf=${other.csrfToken}`, formWith(file))
    expect(byOther.status).toBe(403)
    const noToken = await owner.post(path, formWith(file), { sendCsrf: false })
    expect(noToken.status).toBe(403)
    const foreign = await owner.post(`${path}?_csrf=${owner.csrfToken}`, formWith(file), { origin: 'https://evil.example', sendCsrf: false })
    expect(foreign.status).toBe(403)
    const byOwner = await owner.post(`${path}?_csrf=${owner.csrfToken}`, formWith(file), { sendCsrf: false })
    expect(byOwner.status).toBe(303)
    const media = (await (await fetch(`${server.url}/api/v1/titles/${titleId}`)).json()).title.media
    expect(media.status).toBe('queued')
  }, browserTestMs)
})
