// The master playlist changes under its name (the source's subtitles become ready, a
// viewer adds some), and the page swaps in a fresh player at that moment: the browser
// must not answer that player from its cache with the master it loaded a second ago.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { type TestServer, startServer } from '../helpers/server'
import { launchBrowser, openTab, setupMs } from './browser'

let server: TestServer
let browser: Browser

beforeAll(async () => {
  ;[server, browser] = await Promise.all([startServer(), launchBrowser()])
}, setupMs)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const withoutSubtitles = '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000\nstream_0.m3u8\n'
const withSubtitles =
  '#EXTM3U\n#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="Русский",LANGUAGE="ru",URI="subs_ru.m3u8"\n' +
  '#EXT-X-STREAM-INF:BANDWIDTH=800000,SUBTITLES="subs"\nstream_0.m3u8\n'

test('a master rewritten a moment after the browser loaded it is loaded anew, not from its cache', async () => {
  const folder = join(server.mediaDir, '41')
  mkdirSync(folder, { recursive: true })
  writeFileSync(join(folder, 'master.m3u8'), withoutSubtitles)
  const { page } = await openTab(browser, server.url)
  await page.goto('/')
  // hls.js loads playlists with XMLHttpRequest, which goes through the HTTP cache.
  const load = () =>
    page.evaluate(
      () =>
        new Promise<string>((resolve, reject) => {
          const request = new XMLHttpRequest()
          request.open('GET', '/media/41/master.m3u8')
          request.onload = () => resolve(request.responseText)
          request.onerror = () => reject(new Error('request failed'))
          request.send()
        }),
    )
  expect(await load()).toBe(withoutSubtitles)
  writeFileSync(join(folder, 'master.m3u8'), withSubtitles)
  expect(await load()).toBe(withSubtitles)
  await page.context().close()
})
