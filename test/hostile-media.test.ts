// Uploads that are not videos, or are built to make ffmpeg read other files of the server:
// each ends `failed` with a readable error, nothing of /etc/passwd reaches any output, and
// the server goes on transcoding everything else.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { signUp } from './helpers/client'
import { type TestServer, startServer } from './helpers/server'
import {
  createMovie,
  enqueueSourceFile,
  isFinished,
  jobRows,
  makeSource,
  mediaRow,
  openServerDb,
  type TestDb,
  waitForJobLine,
  waitForMedia,
} from './helpers/transcode'

setDefaultTimeout(120_000)

const sources = mkdtempSync(join(tmpdir(), 'moviepoint-hostile-'))
// What must never show up: the first line of the real /etc/passwd ("root:x:0:0:…").
const passwdLine = readFileSync('/etc/passwd', 'utf8').split('\n')[0]

let server: TestServer
let db: TestDb
let ownerId: number

beforeAll(async () => {
  server = await startServer({ ini: { Workers: 1 }, env: { MOVIEPOINT_X264_PRESET: 'superfast' } })
  ownerId = (await signUp(server.url)).userId
  const opened = openServerDb(server)
  db = opened.db
}, 60_000)
afterAll(async () => {
  await server.stop()
  rmSync(sources, { recursive: true, force: true })
})

function writeSource(name: string, content: string | Uint8Array): string {
  const path = join(sources, name)
  writeFileSync(path, content)
  return path
}

async function cutVideo(name: string, options: { fastStart: boolean; keepShare: number }): Promise<string> {
  const whole = await makeSource(join(sources, `whole-${name}`), { width: 320, height: 180, durationSec: 16 })
  const remuxed = join(sources, `remuxed-${name}`)
  const flags = options.fastStart ? ['-movflags', '+faststart'] : []
  const child = Bun.spawn(['ffmpeg', '-loglevel', 'error', '-y', '-i', whole, '-c', 'copy', ...flags, remuxed])
  expect(await child.exited).toBe(0)
  const bytes = readFileSync(remuxed)
  return writeSource(name, bytes.subarray(0, Math.floor(bytes.length * options.keepShare)))
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(entry => entry.isFile())
    .map(entry => join(entry.parentPath, entry.name))
}

async function transcodeHostile(sourcePath: string) {
  const mediaId = await enqueueSourceFile(server, db, { titleId: await createMovie(db, ownerId), ownerId, sourcePath })
  const row = await waitForMedia(db, mediaId, isFinished)
  await waitForJobLine(server, mediaId)
  return { mediaId, row }
}

async function expectRefused(sourcePath: string, error: RegExp) {
  const { mediaId, row } = await transcodeHostile(sourcePath)
  expect(row).toMatchObject({ status: 'failed', isPlayable: false, renditions: [], audio: [] })
  expect(row.error).toMatch(error)
  const jobs = await jobRows(db, mediaId)
  expect(jobs).toEqual([expect.objectContaining({ status: 'failed', attempts: 1, leaseOwner: null })])
  // Nothing was published: the folder holds the upload only.
  const folder = join(server.mediaDir, String(mediaId))
  expect(readdirSync(folder)).toEqual([`source.${sourcePath.split('.').pop()}`])
  expect(JSON.stringify({ row, jobs })).not.toContain(passwdLine)
  for (const file of filesUnder(server.mediaDir).filter(path => !path.endsWith('/source.mp4')))
    expect({ file, leaked: readFileSync(file).includes(passwdLine) }).toEqual({ file, leaked: false })
}

const notAVideo = /^The file is not a video ffmpeg can read/

describe('uploads that are not playable videos end failed', () => {
  test('a text file', async () => {
    await expectRefused(writeSource('notes.mp4', 'These are my notes, not a film.\n'.repeat(200)), notAVideo)
  })

  test('an empty file', async () => {
    await expectRefused(writeSource('empty.mkv', ''), /empty/)
  })

  test('a truncated MP4 (its index was never written)', async () => {
    await expectRefused(await cutVideo('truncated.mp4', { fastStart: false, keepShare: 0.5 }), notAVideo)
  })

  test('a truncated MP4 whose index promises more than the data holds', async () => {
    await expectRefused(await cutVideo('cut-faststart.mp4', { fastStart: true, keepShare: 0.4 }), /truncated or damaged/)
  })
})

describe('playlists and references disguised as videos are refused before ffmpeg opens them', () => {
  test('an HLS playlist named .mp4 pointing at /etc/passwd', async () => {
    const playlist =
      '#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n#EXTINF:10.0,\n/etc/passwd\n#EXTINF:10.0,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n'
    await expectRefused(writeSource('passwd.mp4', playlist), notAVideo)
  })

  test('an HLS playlist with a concat: reference, behind a byte order mark and blank lines', async () => {
    const playlist = '\uFEFF\n\n#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10.0,\nconcat:/etc/passwd|/etc/hosts\n#EXT-X-ENDLIST\n'
    await expectRefused(writeSource('concat.mp4', playlist), notAVideo)
  })

  test('an ffmpeg concat list and a bare file: reference', async () => {
    await expectRefused(writeSource('list.mp4', "ffconcat version 1.0\nfile '/etc/passwd'\n"), notAVideo)
    await expectRefused(writeSource('link.mp4', 'file:/etc/passwd\n'), notAVideo)
  })
})

test('after all of that, a real video is still transcoded', async () => {
  const source = await makeSource(join(sources, 'fine.mp4'), { width: 320, height: 180, durationSec: 2 })
  const { mediaId, row } = await transcodeHostile(source)
  expect(row.status).toBe('ready')
  expect(statSync(join(server.mediaDir, String(mediaId), 'master.m3u8')).size).toBeGreaterThan(0)
  expect((await mediaRow(db, mediaId)).error).toBeNull()
})
