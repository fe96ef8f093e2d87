// bun bench/pages.ts — the web pages, with 10,000 titles in the catalogue.
// Measures, against the real server on loopback:
//  - server time of the catalogue page and of a search fragment (htmx) — p50/p99 over
//    sequential requests (one connection: the time is the server's plus loopback);
//  - bytes each page transfers on a first visit in headless Chromium, without the player
//    (hls.js, player.js) and without ffmpeg.wasm, which only the trimming loads;
//  - time from opening a ready title to its first played frame in headless Chromium.
// Sizes: BENCH_TITLES (10000), BENCH_REQUESTS (300), BENCH_FRAME_RUNS (5).
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { startServer, writeIni } from '../test/helpers/server'
import { makeSource } from '../test/helpers/transcode'
import { launchBrowser } from '../test/pages/browser'
import { seedCatalogue } from './seed'

const titleCount = Number(process.env.BENCH_TITLES ?? 10_000)
const requestCount = Number(process.env.BENCH_REQUESTS ?? 300)
const frameRuns = Number(process.env.BENCH_FRAME_RUNS ?? 5)

function percentile(sortedMs: number[], p: number): number {
  return sortedMs[Math.min(sortedMs.length - 1, Math.floor((p / 100) * sortedMs.length))]
}

// Sequential requests over one keep-alive connection: each one's full round trip.
async function timeRequests(url: string, paths: string[], headers: Record<string, string> = {}) {
  const times: number[] = []
  for (let i = 0; i < requestCount; i++) {
    const started = performance.now()
    const answer = await fetch(url + paths[i % paths.length], { headers })
    await answer.arrayBuffer()
    if (!answer.ok) throw new Error(`${paths[i % paths.length]}: ${answer.status}`)
    times.push(performance.now() - started)
  }
  times.sort((a, b) => a - b)
  return { p50Ms: percentile(times, 50), p99Ms: percentile(times, 99) }
}

// ---- A ready video, for the first-frame measure ----

// 20 s of 720p24 with a tone, x264 ultrafast.
function generateClip(dir: string): Promise<string> {
  return makeSource(join(dir, 'clip.mp4'), { width: 1280, height: 720, fps: 24, durationSec: 20, audio: [''] })
}

async function readyTitle(url: string, clipPath: string): Promise<number> {
  const json = { 'content-type': 'application/json', origin: url }
  const registered = await fetch(`${url}/api/v1/auth/register`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ username: 'benchviewer', password: 'bench password 1' }),
  })
  const cookie = registered.headers
    .getSetCookie()
    .map(c => c.split(';')[0])
    .join('; ')
  const csrf = /csrf=([^;]+)/.exec(cookie)?.[1] ?? ''
  const tokenAnswer = await fetch(`${url}/api/v1/tokens`, {
    method: 'POST',
    headers: { ...json, cookie, 'x-csrf-token': csrf },
    body: JSON.stringify({ name: 'bench' }),
  })
  const bearer = { authorization: `Bearer ${(await tokenAnswer.json()).token}` }
  const created = await fetch(`${url}/api/v1/titles`, {
    method: 'POST',
    headers: { ...bearer, 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'movie', name: 'Первый кадр' }),
  })
  const titleId = (await created.json()).title.id
  const put = await fetch(`${url}/api/v1/titles/${titleId}/video`, { method: 'PUT', headers: bearer, body: Bun.file(clipPath) })
  const mediaId = (await put.json()).media.id
  for (const deadline = Date.now() + 300_000; Date.now() < deadline; await Bun.sleep(500)) {
    const { media } = await (await fetch(`${url}/api/v1/media/${mediaId}`)).json()
    if (media.status === 'ready') return titleId
    if (media.status === 'failed') throw new Error(`transcoding failed: ${media.error}`)
  }
  throw new Error('transcoding took too long')
}

// ---- Chromium ----

const playerOrEditor = /hls\.min\.js|player\.js|upload\.js|tus\.min\.js|ffmpeg/

// Bytes on the wire (headers and bodies, as served: no compression) of a first visit.
async function pageBytes(browser: Browser, url: string, path: string) {
  const context = await browser.newContext()
  const page = await context.newPage()
  const sizes: { url: string; bytes: number; gzipBytes: number }[] = []
  page.on('requestfinished', async request => {
    const size = await request.sizes()
    const body = (await (await request.response())?.body().catch(() => null)) ?? new Uint8Array()
    sizes.push({
      url: request.url(),
      bytes: size.responseBodySize + size.responseHeadersSize,
      gzipBytes: Bun.gzipSync(new Uint8Array(body)).length,
    })
  })
  await page.goto(url + path, { waitUntil: 'networkidle' })
  await context.close()
  const counted = sizes.filter(s => !playerOrEditor.test(s.url))
  const sum = (list: typeof sizes, key: 'bytes' | 'gzipBytes') => list.reduce((total, s) => total + s[key], 0)
  return {
    requests: counted.length,
    bytes: sum(counted, 'bytes'),
    gzipBytes: sum(counted, 'gzipBytes'),
    playerBytes: sum(sizes, 'bytes') - sum(counted, 'bytes'),
  }
}

// From navigation start to the first frame presented (requestVideoFrameCallback), with
// the play button "pressed" as soon as the player is set up. Fresh browser context each run.
async function firstFrameMs(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext()
  const page = await context.newPage()
  await page.goto(url, { waitUntil: 'commit' })
  const ms = await page.evaluate(
    () =>
      new Promise<number>(resolve => {
        const start = () => {
          const video = document.querySelector('[data-player][data-ready] video') as HTMLVideoElement | null
          if (!video) return requestAnimationFrame(start)
          video.requestVideoFrameCallback(() => resolve(performance.now()))
          video.play().catch(() => {})
        }
        start()
      }),
  )
  await context.close()
  return ms
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'moviepoint-bench-pages-'))
  const iniPath = writeIni(dir, { ini: { Workers: 1 } })
  const seedStart = performance.now()
  await seedCatalogue(iniPath, { titles: titleCount, reviews: 0, users: 1 })
  console.log(`seeded ${titleCount} titles in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`)
  const [server, clipPath] = await Promise.all([startServer({ dir }), generateClip(dir)])
  const browser = await launchBrowser()
  try {
    const searches = ['брат', 'Ёлки', 'зима город', 'сестр', 'BROTHER', 'небо'].map(q => `/?q=${encodeURIComponent(q)}`)
    const catalogues = ['/', '/?page=3', '/?sort=rating', '/?genre=%D0%B4%D1%80%D0%B0%D0%BC%D0%B0', '/?kind=series&sort=name']
    for (const path of [...catalogues, ...searches]) await fetch(server.url + path)
    const catalogue = await timeRequests(server.url, catalogues)
    const fragment = await timeRequests(server.url, searches, { 'hx-request': 'true', 'hx-target': 'results' })
    console.log(`\nserver time, ${requestCount} sequential requests each, loopback, ${navigator.hardwareConcurrency} cores`)
    console.log(`catalogue page      p50 ${catalogue.p50Ms.toFixed(2)} ms   p99 ${catalogue.p99Ms.toFixed(2)} ms`)
    console.log(`search fragment     p50 ${fragment.p50Ms.toFixed(2)} ms   p99 ${fragment.p99Ms.toFixed(2)} ms`)

    const titleId = await readyTitle(server.url, clipPath)
    const fragmentBody = await (await fetch(`${server.url}${searches[0]}`, { headers: { 'hx-request': 'true' } })).arrayBuffer()
    console.log('\nbytes of a first visit (headers + bodies as served; gzip for comparison), player and ffmpeg.wasm excluded')
    for (const [name, path] of [
      ['catalogue', '/'],
      ['catalogue, searched', searches[0]],
      ['title (ready video)', `/titles/${titleId}`],
      ['sign in', '/login'],
    ] as const) {
      const size = await pageBytes(browser, server.url, path)
      console.log(
        `${name.padEnd(22)} ${String(size.requests).padStart(2)} requests  ${(size.bytes / 1024).toFixed(1).padStart(7)} KiB  ` +
          `(gzip ${(size.gzipBytes / 1024).toFixed(1)} KiB)` +
          (size.playerBytes > 0 ? `  + player ${(size.playerBytes / 1024).toFixed(1)} KiB` : ''),
      )
    }
    console.log(`${'search fragment'.padEnd(22)}  1 request   ${(fragmentBody.byteLength / 1024).toFixed(1).padStart(7)} KiB (body)`)

    const frames: number[] = []
    for (let i = 0; i < frameRuns; i++) frames.push(await firstFrameMs(browser, `${server.url}/titles/${titleId}`))
    frames.sort((a, b) => a - b)
    console.log(
      `\nopening a ready title → first played frame (fresh context, ${frameRuns} runs): ` +
        `median ${percentile(frames, 50).toFixed(0)} ms, min ${frames[0].toFixed(0)} ms, max ${frames.at(-1)?.toFixed(0)} ms`,
    )
  } finally {
    await browser.close()
    await server.stop()
  }
}

await main()
