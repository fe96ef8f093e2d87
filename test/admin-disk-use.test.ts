// The disk use on the admin's queue page (src/media/disk-use.ts): the size of MediaDataPath
// comes from a measurement made off the request path, shown with its time, and measured
// again once videos came or went — after an upload it has grown by the upload, after a
// delete it is back. The embedded database lives in the folder too and grows with every
// request, so figures are compared within `slackBytes` of a walk made by the test.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseConfig } from '../src/config/ini'
import { openDatabase } from '../src/db/client'
import { migrateDatabase } from '../src/db/migrate'
import { storeOf } from '../src/deps'
import { diskUseOf, diskUseRules } from '../src/media/disk-use'
import { addTitle } from './helpers/catalogue'
import { type Client, signUp } from './helpers/client'
import { eventually, randomVideo, send } from './helpers/media'
import { type TestServer, startServer } from './helpers/server'

const uploadBytes = 4 * 1024 * 1024
const slackBytes = 512 * 1024

let server: TestServer
let admin: Client

beforeAll(async () => {
  // No workers: the upload stays in its folder as it came.
  server = await startServer({ admins: '1\n', ini: { Workers: 0 } })
  admin = await signUp(server.url) // user 1, listed in admins.txt
})
afterAll(() => server?.stop())

// Every file under the folder, as the test sees it.
function walkedBytes(folder: string): number {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter(entry => entry.isFile())
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0)
}

type Shown = { bytes: number; measuredAt: string }

async function shownDiskUse(): Promise<Shown> {
  const page = await admin.get('/admin/queue?lang=en')
  expect(page.status).toBe(200)
  const [, bytes, measuredAt] = /class="disk-use" data-media-bytes="(\d+)" data-measured-at="([^"]+)"/.exec(page.text) ?? []
  expect(page.text).toContain('Folder size measured ')
  return { bytes: Number(bytes), measuredAt }
}

// The first figure measured after `sinceIso`, as the page shows it (views start the measurement).
async function measuredAfter(sinceIso: string): Promise<Shown> {
  let shown = await shownDiskUse()
  await eventually(async () => {
    shown = await shownDiskUse()
    return shown.measuredAt >= sinceIso
  })
  return shown
}

describe('the disk use on the queue page', () => {
  test('is measured, then grows by an upload and shrinks by its delete', async () => {
    const first = await shownDiskUse()
    expect(Math.abs(first.bytes - walkedBytes(server.mediaDir))).toBeLessThan(slackBytes)

    const titleId = (await addTitle(admin, { name: 'Disk use' })).id
    const uploaded = await send(admin, 'PUT', `/api/v1/titles/${titleId}/video?filename=film.mp4`, { body: randomVideo(uploadBytes) })
    expect(uploaded.status).toBe(202)
    const mediaId = (await uploaded.json()).media.id
    const afterUpload = await measuredAfter(new Date().toISOString())
    expect(afterUpload.bytes - first.bytes).toBeGreaterThanOrEqual(uploadBytes)
    expect(afterUpload.bytes - first.bytes).toBeLessThan(uploadBytes + slackBytes)
    expect(Math.abs(afterUpload.bytes - walkedBytes(server.mediaDir))).toBeLessThan(slackBytes)

    expect((await admin.delete(`/api/v1/media/${mediaId}`)).status).toBe(204)
    const afterDelete = await measuredAfter(new Date().toISOString())
    expect(afterUpload.bytes - afterDelete.bytes).toBeGreaterThanOrEqual(uploadBytes - slackBytes)
    expect(Math.abs(afterDelete.bytes - walkedBytes(server.mediaDir))).toBeLessThan(slackBytes)
  })
})

describe('the first view of a big library', () => {
  // In this process, on a scratch server folder: 3,000 files take longer to add up than the
  // 1 ms this test lets a view wait (the server waits a second).
  test('does not wait for the whole walk: it says the size is being measured, and the figure comes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moviepoint-disk-'))
    const config = parseConfig(`MediaDataPath=${JSON.stringify(join(dir, 'media'))}\n`, join(dir, 'server.ini'))
    await migrateDatabase(config.database)
    const { db, client } = openDatabase(config.database)
    const library = join(config.mediaDataPath, '1', 'stream_0')
    mkdirSync(library, { recursive: true })
    for (let i = 0; i < 3000; i++) writeFileSync(join(library, `data${String(i).padStart(4, '0')}.ts`), 'x'.repeat(100))
    const waitMs = diskUseRules.firstWaitMs
    diskUseRules.firstWaitMs = 1
    try {
      const store = storeOf(db, config)
      const first = await diskUseOf(store)
      expect(first.measured).toBeNull()
      expect(first.totalBytes).toBeGreaterThan(0)
      let later = first
      await eventually(async () => {
        later = await diskUseOf(store)
        return later.measured !== null
      })
      // The 3,000 files, and the embedded database beside them.
      expect(later.measured?.mediaBytes).toBeGreaterThanOrEqual(3000 * 100)
      expect(Math.abs((later.measured?.mediaBytes ?? 0) - walkedBytes(config.mediaDataPath))).toBeLessThan(slackBytes)
    } finally {
      diskUseRules.firstWaitMs = waitMs
      client.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
