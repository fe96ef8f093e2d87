// Trimming in the browser does what it says: the page shows where the cut really starts in
// the file and how long it is, and the file it uploads matches those numbers within a frame.
// The source has a keyframe only every 10 s, so a lossless cut starts visibly earlier than
// asked, and an exact one has to re-encode up to the next keyframe (the rest is copied).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { type TestServer, startServer } from '../helpers/server'
import { createTitleInBrowser, cspViolations, launchBrowser, openTab, registerInBrowser, setupMs } from './browser'

const fps = 24
const frameSec = 1 / fps
const size = { width: 320, height: 180 }
const frameBytes = (size.width * size.height * 3) / 2

let server: TestServer
let browser: Browser
let dir: string
let sourcePath: string

async function ffmpeg(args: string[]): Promise<Uint8Array> {
  const child = Bun.spawn(['ffmpeg', '-hide_banner', '-loglevel', 'error', '-y', ...args], { stdout: 'pipe', stderr: 'pipe' })
  const [out, err, code] = await Promise.all([new Response(child.stdout).bytes(), new Response(child.stderr).text(), child.exited])
  if (code !== 0) throw new Error(`ffmpeg ${args.join(' ')}: ${err}`)
  return out
}

// 24 s of a moving picture, keyframes at 0, 10 and 20 s; audio; Russian subtitles each second.
async function generateSource(): Promise<string> {
  const srt = join(dir, 'subs.srt')
  const at = (sec: number) => `00:00:${String(sec).padStart(2, '0')},000`
  writeFileSync(srt, Array.from({ length: 24 }, (_, i) => `${i + 1}\n${at(i)} --> ${at(i + 1)}\nРеплика ${i + 1}\n`).join('\n'))
  const output = join(dir, 'sparse-keyframes.mp4')
  const picture = `testsrc2=size=${size.width}x${size.height}:rate=${fps}:duration=24`
  await ffmpeg(
    ['-f', 'lavfi', '-i', picture, '-f', 'lavfi', '-i', 'sine=frequency=440:duration=24', '-i', srt]
      .concat(['-map', '0:v', '-map', '1:a', '-map', '2:s', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'])
      .concat(['-g', '240', '-keyint_min', '240', '-sc_threshold', '0', '-c:a', 'aac', '-b:a', '64k', '-c:s', 'mov_text'])
      .concat(['-metadata:s:s:0', 'language=rus', '-movflags', '+faststart', output]),
  )
  return output
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'moviepoint-trim-'))
  ;[server, browser, sourcePath] = await Promise.all([startServer({ ini: { Workers: 0 } }), launchBrowser(), generateSource()])
}, setupMs)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

// Decoded frames of `path` from `fromSec`, as raw 4:2:0 pictures.
async function framesOf(path: string, fromSec = 0, count = 1): Promise<Uint8Array[]> {
  const raw = await ffmpeg([
    '-ss',
    fromSec.toFixed(3),
    '-i',
    path,
    '-map',
    '0:v:0',
    '-frames:v',
    String(count),
    '-pix_fmt',
    'yuv420p',
    '-f',
    'rawvideo',
    '-',
  ])
  return Array.from({ length: raw.length / frameBytes }, (_, i) => raw.subarray(i * frameBytes, (i + 1) * frameBytes))
}

const meanDifference = (a: Uint8Array, b: Uint8Array) => a.reduce((sum, value, i) => sum + Math.abs(value - (b[i] ?? 0)), 0) / a.length
const isSame = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0

// The frame of the source, among those around `nearSec`, that `picture` looks most like.
async function closestSourceFrameSec(picture: Uint8Array, nearSec: number): Promise<number> {
  const fromSec = Math.max(0, nearSec - 2 * frameSec)
  const candidates = await framesOf(sourcePath, fromSec, 5)
  const differences = candidates.map(frame => meanDifference(picture, frame))
  return fromSec + differences.indexOf(Math.min(...differences)) * frameSec
}

async function probeCut(path: string) {
  const child = Bun.spawn(
    ['ffprobe', '-v', 'error', '-count_frames', '-show_entries', 'stream=codec_type,nb_read_frames,duration', '-of', 'json', path],
    {
      stdout: 'pipe',
    },
  )
  const streams: { codec_type: string; nb_read_frames?: string; duration?: string }[] = JSON.parse(
    await new Response(child.stdout).text(),
  ).streams
  const video = streams.find(s => s.codec_type === 'video')
  return { frames: Number(video?.nb_read_frames), types: streams.map(s => s.codec_type).sort() }
}

type Shown = { start: number; end: number; duration: number; text: string }

// Cuts start–end in the page and returns what the page says, and the cut file saved here.
async function cutInPage(
  page: Page,
  startSec: number,
  endSec: number,
  labels: Labels,
  name: string,
): Promise<{ shown: Shown; path: string }> {
  await page.getByLabel(labels.start).fill(String(startSec))
  await page.getByLabel(labels.end).fill(String(endSec))
  await page.getByRole('button', { name: labels.preview }).click()
  const status = page.locator('[data-trim-status]')
  // Ready, or failed saying why.
  const ends = `${labels.ready.source}|${labels.failed.source}`
  await page.waitForFunction(re => new RegExp(re).test(document.querySelector('[data-trim-status]')?.textContent ?? ''), ends, {
    timeout: 120_000,
  })
  const text = (await status.textContent()) ?? ''
  expect(text).toMatch(labels.ready)
  const [, start, end, duration] = labels.ready.exec(text) ?? []
  const bytes = await page.locator('[data-cut]').evaluate(async (video: HTMLVideoElement) => {
    const buffer = await (await fetch(video.src)).arrayBuffer()
    return Array.from(new Uint8Array(buffer))
  })
  const path = join(dir, name)
  writeFileSync(path, new Uint8Array(bytes))
  return { shown: { start: Number(start), end: Number(end), duration: Number(duration), text }, path }
}

type Labels = { start: string; end: string; preview: string; exact: RegExp; ready: RegExp; failed: RegExp }

const english: Labels = {
  start: 'Start, in seconds',
  end: 'End, in seconds',
  preview: 'Preview the cut',
  exact: /^Exact cut/,
  ready: /The cut part is ready: ([\d.]+)–([\d.]+) s of the file, ([\d.]+) s/,
  failed: /could not be cut/,
}
const russian: Labels = {
  start: 'Начало, в секундах',
  end: 'Конец, в секундах',
  preview: 'Просмотреть обрезанное',
  exact: /^Точная обрезка/,
  ready: /Фрагмент готов: ([\d.]+)–([\d.]+) с исходного файла, ([\d.]+) с/,
  failed: /Не удалось обрезать/,
}

async function openUploadOf(lang: 'en' | 'ru') {
  const tab = await openTab(browser, server.url, { locale: lang === 'ru' ? 'ru-RU' : 'en-US' })
  await registerInBrowser(tab.page)
  const titleId = await createTitleInBrowser(tab.page, { name: `Обрезка ${lang}` })
  await tab.page.goto(`/titles/${titleId}?lang=${lang}`)
  await tab.page.locator('[data-upload] input[type=file]').setInputFiles(sourcePath)
  await tab.page.waitForFunction(() => (document.querySelector('[data-local]') as HTMLVideoElement)?.duration > 23)
  return tab
}

// The cut holds as many frames as it says it lasts, give or take one.
function expectLengthShown(cut: { frames: number }, shown: Shown) {
  expect(Math.abs(shown.end - shown.start - shown.duration)).toBeLessThanOrEqual(0.011)
  expect(Math.abs(cut.frames - shown.duration * fps)).toBeLessThanOrEqual(1)
}

const snappedText = {
  en: 'it starts at the keyframe at 0.00 s, not at 3.00 s',
  ru: 'начинается с ключевого кадра на 0.00 с, а не на 3.00 с',
}
const labelsOf = { en: english, ru: russian }

describe.each(['ru', 'en'] as const)('trimming with keyframes 10 s apart, %s', lang => {
  const labels = labelsOf[lang]
  test('lossless says it starts at the keyframe at 0 s, and the file is exactly that', async () => {
    const { page, context, problems } = await openUploadOf(lang)
    const { shown, path } = await cutInPage(page, 3, 17, labels, `lossless-${lang}.mp4`)
    expect(shown.start).toBe(0)
    expect(Math.abs(shown.end - 17)).toBeLessThanOrEqual(frameSec)
    expect(shown.text).toContain(snappedText[lang])
    const cut = await probeCut(path)
    expectLengthShown(cut, shown)
    expect(cut.types).toEqual(['audio', 'subtitle', 'video'])
    // Copied: its first pictures are the source's own, decoded bit for bit.
    const [first, source] = [await framesOf(path, 0, 3), await framesOf(sourcePath, 0, 3)]
    expect(first.every((frame, i) => isSame(frame, source[i] as Uint8Array))).toBe(true)
    expect(cspViolations(problems)).toEqual([])
    await context.close()
  }, 180_000)

  test('exact starts on the frame asked for, re-encodes up to the keyframe at 10 s and copies the rest', async () => {
    const { page, context, problems } = await openUploadOf(lang)
    await page.getByLabel(labels.exact).check()
    const { shown, path } = await cutInPage(page, 3, 17, labels, `exact-${lang}.mp4`)
    expect(shown).toMatchObject({ start: 3, end: 17, duration: 14 })
    expect(shown.text).not.toContain(snappedText[lang])
    const cut = await probeCut(path)
    expectLengthShown(cut, shown)
    expect(cut.types).toEqual(['audio', 'subtitle', 'video'])
    // Its first picture is the source's at 3 s (re-encoded, so the closest, not equal).
    const [firstPicture] = await framesOf(path, 0, 1)
    expect(await closestSourceFrameSec(firstPicture as Uint8Array, 3)).toBeCloseTo(3, 3)
    // From the source's keyframe at 10 s (7 s into the cut) the pictures are copied.
    const [copied, original] = [await framesOf(path, 7, 3), await framesOf(sourcePath, 10, 3)]
    expect(copied.every((frame, i) => isSame(frame, original[i] as Uint8Array))).toBe(true)
    // With no keyframe between 12 and 17 s, all of it is re-encoded, and still exact.
    const whole = await cutInPage(page, 12, 17, labels, `exact-encoded-${lang}.mp4`)
    expect(whole.shown).toMatchObject({ start: 12, end: 17, duration: 5 })
    expectLengthShown(await probeCut(whole.path), whole.shown)
    const [wholeFirst] = await framesOf(whole.path, 0, 1)
    expect(await closestSourceFrameSec(wholeFirst as Uint8Array, 12)).toBeCloseTo(12, 3)
    expect(cspViolations(problems)).toEqual([])
    await context.close()
  }, 240_000)
})
