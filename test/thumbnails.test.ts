// Seek-bar previews: a real transcode makes `thumbs.vtt` and its sprite sheets in the same
// ffmpeg run as the ladder; the cues cover the film, point inside real sheets at different
// pictures, and the media JSON names the .vtt, served as text/vtt.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { planThumbnails, renderThumbnailsVtt } from '../src/transcoding/thumbnails'
import { signUp } from './helpers/client'
import { rawRequest } from './helpers/raw-http'
import { type TestServer, startServer } from './helpers/server'
import {
  createMovie,
  enqueueSourceFile,
  ffprobeJson,
  isFinished,
  makeSource,
  openServerDb,
  type TestDb,
  waitForJobLine,
  waitForMedia,
} from './helpers/transcode'

setDefaultTimeout(120_000)

type Cue = { startSec: number; endSec: number; sprite: string; x: number; y: number; w: number; h: number }

const secondsOf = (clock: string) => clock.split(':').reduce((sum, part) => sum * 60 + Number(part), 0)

function parseCues(vtt: string): Cue[] {
  expect(vtt.startsWith('WEBVTT')).toBe(true)
  const cues: Cue[] = []
  const pattern = /([\d:.]+) --> ([\d:.]+)\n([^#\n]+)#xywh=(\d+),(\d+),(\d+),(\d+)/g
  for (const m of vtt.matchAll(pattern))
    cues.push({ startSec: secondsOf(m[1]), endSec: secondsOf(m[2]), sprite: m[3], x: +m[4], y: +m[5], w: +m[6], h: +m[7] })
  return cues
}

// The raw RGB bytes of one tile of a sheet.
async function tilePixels(path: string, cue: Cue): Promise<Uint8Array> {
  const command = ['ffmpeg', '-v', 'error', '-i', path, '-vf', `crop=${cue.w}:${cue.h}:${cue.x}:${cue.y}`]
  const child = Bun.spawn([...command, '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], { stdout: 'pipe' })
  return new Uint8Array(await new Response(child.stdout).arrayBuffer())
}

const meanDifference = (a: Uint8Array, b: Uint8Array) => a.reduce((sum, value, i) => sum + Math.abs(value - b[i]), 0) / a.length

describe('planned previews', () => {
  test('every 5 s for a clip, every 10 s for a film, and a bounded number of sheets for a long one', () => {
    expect(planThumbnails(12, { width: 1280, height: 720 })).toEqual({ intervalSec: 5, width: 160, height: 90, columns: 3, rows: 1 })
    expect(planThumbnails(7200, { width: 1920, height: 804 })).toMatchObject({ intervalSec: 10, width: 160, height: 68 })
    const long = planThumbnails(36_000, { width: 1920, height: 1080 })
    if (!long) throw new Error('no plan')
    expect(Math.ceil(36_000 / long.intervalSec / (long.columns * long.rows))).toBeLessThanOrEqual(10)
    expect(planThumbnails(12, undefined)).toBeNull()
  })

  test('cues run from 0 to the end and name only sheets that exist', () => {
    const plan = { intervalSec: 10, width: 160, height: 90, columns: 10, rows: 10 }
    const cues = parseCues(renderThumbnailsVtt(plan, { durationSec: 1005, sheets: 2, publication: 1 }))
    expect(cues.length).toBe(101)
    expect(cues[0]).toMatchObject({ startSec: 0, sprite: 'thumbs/sprite0000.jpg', x: 0, y: 0 })
    expect(cues[99]).toMatchObject({ sprite: 'thumbs/sprite0000.jpg', x: 1440, y: 810 })
    expect(cues[100]).toMatchObject({ startSec: 1000, endSec: 1005, sprite: 'thumbs/sprite0001.jpg', x: 0, y: 0 })
    expect(parseCues(renderThumbnailsVtt(plan, { durationSec: 1005, sheets: 1, publication: 1 })).length).toBe(100)
    // Exactly 10 s at 5 s: frames start at 0 and 5 s, none at 10 s.
    const clip = { ...plan, intervalSec: 5, columns: 2, rows: 1 }
    expect(
      parseCues(renderThumbnailsVtt(clip, { durationSec: 10, sheets: 1, publication: 1 })).map(cue => [cue.startSec, cue.endSec]),
    ).toEqual([
      [0, 5],
      [5, 10],
    ])
  })

  test('a later publication names its sheets by URIs of its own', () => {
    const plan = { intervalSec: 5, width: 160, height: 90, columns: 2, rows: 1 }
    const vtt = renderThumbnailsVtt(plan, { durationSec: 12, sheets: 2, publication: 3 })
    expect(vtt.split('\n').filter(line => line.startsWith('thumbs/'))).toEqual([
      'thumbs/sprite0000.jpg?a=3#xywh=0,0,160,90',
      'thumbs/sprite0000.jpg?a=3#xywh=160,0,160,90',
      'thumbs/sprite0001.jpg?a=3#xywh=0,0,160,90',
    ])
  })
})

describe('a real transcode', () => {
  const sources = mkdtempSync(join(tmpdir(), 'moviepoint-thumbs-'))
  let server: TestServer
  let db: TestDb
  let mediaId: number
  let folder: string

  beforeAll(async () => {
    server = await startServer({ ini: { Workers: 1 }, env: { MOVIEPOINT_X264_PRESET: 'superfast' } })
    const owner = await signUp(server.url)
    db = openServerDb(server).db
    const source = await makeSource(join(sources, 'clip.mp4'), { width: 640, height: 360, durationSec: 12 })
    mediaId = await enqueueSourceFile(server, db, {
      titleId: await createMovie(db, owner.userId),
      ownerId: owner.userId,
      sourcePath: source,
    })
    const row = await waitForMedia(db, mediaId, isFinished)
    expect(row.status).toBe('ready')
    await waitForJobLine(server, mediaId)
    folder = join(server.mediaDir, String(mediaId))
  }, 120_000)
  afterAll(async () => {
    await server.stop()
    rmSync(sources, { recursive: true, force: true })
  })

  test('the media JSON names thumbs.vtt, served as text/vtt; its cues cover the film inside real sheets', async () => {
    const json = await (await fetch(`${server.url}/api/v1/media/${mediaId}`)).json()
    expect(json.media.thumbnails).toBe(`/media/${mediaId}/thumbs.vtt`)
    const answer = await fetch(`${server.url}${json.media.thumbnails}`)
    expect(answer.status).toBe(200)
    expect(answer.headers.get('content-type')).toStartWith('text/vtt')
    const cues = parseCues(await answer.text())
    expect(cues.length).toBeGreaterThanOrEqual(2)
    expect(cues[0].startSec).toBe(0)
    for (let i = 1; i < cues.length; i++) expect(cues[i].startSec).toBeCloseTo(cues[i - 1].endSec, 3)
    expect(cues.at(-1)?.endSec).toBeGreaterThanOrEqual(json.media.durationSec - 0.05)
    for (const cue of cues) expect(cue.endSec - cue.startSec).toBeLessThanOrEqual(10)

    const sizes = new Map<string, { width: number; height: number }>()
    for (const sprite of new Set(cues.map(cue => cue.sprite))) {
      const served = await fetch(`${server.url}/media/${mediaId}/${sprite}`)
      expect(served.status).toBe(200)
      expect(served.headers.get('content-type')).toBe('image/jpeg')
      const [stream] = (await ffprobeJson(join(folder, sprite), ['-show_entries', 'stream=width,height'])).streams
      sizes.set(sprite, { width: stream.width ?? 0, height: stream.height ?? 0 })
    }
    for (const cue of cues) {
      const size = sizes.get(cue.sprite)
      if (!size) throw new Error(`no size of ${cue.sprite}`)
      expect(cue.w).toBeGreaterThanOrEqual(100)
      expect(cue.x + cue.w).toBeLessThanOrEqual(size.width)
      expect(cue.y + cue.h).toBeLessThanOrEqual(size.height)
    }
    // testsrc2 moves: the tile of the first cue and of the last show different pictures.
    const first = await tilePixels(join(folder, cues[0].sprite), cues[0])
    const last = await tilePixels(join(folder, cues[cues.length - 1].sprite), cues[cues.length - 1])
    expect(first.length).toBe(cues[0].w * cues[0].h)
    expect(meanDifference(first, last)).toBeGreaterThan(2)
  })

  test('the sheets and the .vtt are served, and nothing else of the previews: no work files, no other names', async () => {
    const sheet = await rawRequest(server.url, [`GET /media/${mediaId}/thumbs/sprite0000.jpg HTTP/1.1`])
    expect(sheet.status).toBe(200)
    expect(sheet.head).toMatch(/content-type: image\/jpeg/i)
    const names = ['thumbs/', 'thumbs/sprite0000.png', 'thumbs/..%2fsource.mp4', 'thumbs%2fsprite0000.jpg']
    for (const name of [...names, 'thumbs.vtt.tmp', 'thumbs/sprite0000.jpg/', 'subs/thumbs.vtt', 'thumbs/thumbs.vtt']) {
      const answer = await rawRequest(server.url, [`GET /media/${mediaId}/${name} HTTP/1.1`])
      expect({ name, status: answer.status }).toEqual({ name, status: 404 })
    }
  })
})
