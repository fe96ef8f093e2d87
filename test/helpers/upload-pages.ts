// What the page tests of uploaded videos start from (pages/uploads, pages/admin-queue): a
// real server whose worker transcodes (x264 `superfast`) and a browser, started together;
// an upload by PUT; a tab signed in as a client.
import type { Browser } from 'playwright-core'
import { launchBrowser, openTab, type Tab, type TabOptions } from '../pages/browser'
import type { Client } from './client'
import { send } from './media'
import { type ServerOptions, type TestServer, startServer } from './server'

export type ServerAndBrowser = { server: TestServer; browser: Browser }

// One worker unless `options.ini` says otherwise; `options.env` adds to the preset.
export async function startServerAndBrowser(options: ServerOptions = {}): Promise<ServerAndBrowser> {
  const [server, browser] = await Promise.all([
    startServer({
      ...options,
      ini: { Workers: 1, ...options.ini },
      env: { MOVIEPOINT_X264_PRESET: 'superfast', ...options.env },
    }),
    launchBrowser(),
  ])
  return { server, browser }
}

// Either may be missing when the start failed.
export async function stopServerAndBrowser(started: Partial<ServerAndBrowser>): Promise<void> {
  await started.browser?.close()
  await started.server?.stop()
}

// The media id of a video uploaded to the title by PUT (202, or the test stops there).
export async function uploadVideo(client: Client, titleId: number, body: Uint8Array<ArrayBuffer>): Promise<number> {
  const answer = await send(client, 'PUT', `/api/v1/titles/${titleId}/video?filename=film.mp4`, { body })
  if (answer.status !== 202) throw new Error(`upload failed: ${answer.status}`)
  return (await answer.json()).media.id
}

// A new tab carrying the client's cookies (its session).
export async function openSignedInTab(at: ServerAndBrowser, client: Client, options: TabOptions = {}): Promise<Tab> {
  const tab = await openTab(at.browser, at.server.url, options)
  await tab.context.addCookies([...client.cookies].map(([name, value]) => ({ name, value, url: at.server.url })))
  return tab
}
