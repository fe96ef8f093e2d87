// bun run bench:machinery [api|serve|upload] — does each speed trick still pay for itself?
// For every trick of src/config/speed-tricks.ts, the real server runs twice side by side on
// copies of the same data: with everything on, and with that one trick turned off
// (MOVIEPOINT_BENCH_WITHOUT=<trick>). The two are loaded in alternating rounds (which one
// goes first alternates too), so a busy moment of a shared machine hurts both alike, and
// the medians of the rounds (after one uncounted warm-up round each) are compared. Under
// load, the figure is requests per CPU second of the server (requests ÷ the CPU time the
// server process used meanwhile, from /proc): on a shared machine, requests/s measure the
// neighbours as much as the code, CPU time per request far less (requests/s are printed
// too). gain = with ÷ without − 1; for the upload GC, whose point is memory, gain = peak
// RSS without ÷ peak RSS with − 1. The speed rule keeps a trick only at a gain of 15% or
// more (README, "Machinery and its figures").
// Knobs: BENCH_TITLES (10000), BENCH_REVIEWS (20000), BENCH_ROUNDS (3), BENCH_SECONDS (5),
// BENCH_CONNECTIONS (8), BENCH_UPLOAD_MIB (1024), BENCH_SEGMENTS (64), BENCH_SEGMENT_BYTES (150000).
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type SpeedTrick, speedTricksSwitch } from '../src/config/speed-tricks'
import { addTitle } from '../test/helpers/catalogue'
import { signUp } from '../test/helpers/client'
import { cpuSeconds } from '../test/helpers/proc'
import { type TestServer, startServer, writeIni } from '../test/helpers/server'
import { segmentsScript, writeSegments } from './segments'
import { seedCatalogue } from './seed'
import { clearMediaFolders, makeSourceFile, withPeakRss } from './upload-tools'
import { getPathsScript, requireWrk, runWrk } from './wrk'
import { median } from './stats'

const titleCount = Number(process.env.BENCH_TITLES ?? 10_000)
const reviewCount = Number(process.env.BENCH_REVIEWS ?? 20_000)
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3))
const seconds = Number(process.env.BENCH_SECONDS ?? 5)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 8)
const uploadBytes = Number(process.env.BENCH_UPLOAD_MIB ?? 1024) * 1024 * 1024
const segmentCount = Number(process.env.BENCH_SEGMENTS ?? 64)
const segmentBytes = Number(process.env.BENCH_SEGMENT_BYTES ?? 150_000)

type Group = 'api' | 'serve' | 'upload'
const groups: Group[] = ['api', 'serve', 'upload']

// Starts a server with every trick on, or with some turned off, on a folder of its own.
type Start = (without: SpeedTrick | null) => Promise<TestServer>
// One measure of one server: the figure (more is better for requests per CPU second, less
// for RSS), and requests/s under load.
type Measured = { value: number; rps?: number }
type Measure = (server: TestServer) => Promise<Measured>
type Piece = { trick: SpeedTrick; what: string; unit: 'req/CPU-s' | 'MB peak RSS'; measure: Measure }
type Side = { values: number[]; rps: number[] }
type Figure = { trick: SpeedTrick; what: string; unit: string; with: Side; without: Side; gain: number }

const work = mkdtempSync(join(tmpdir(), 'moviepoint-bench-machinery-'))

const envWithout = (trick: SpeedTrick | null): Record<string, string> => ({ [speedTricksSwitch]: trick ?? '' })

async function underLoad(server: TestServer, name: string, script: string): Promise<Measured> {
  const cpuBefore = cpuSeconds(server.process.pid)
  const load = await runWrk({ url: server.url, script, name, dir: work, seconds, connections })
  const cpuSec = cpuSeconds(server.process.pid) - cpuBefore
  if (load.errors !== 'none') throw new Error(`${name}: ${load.errors}`)
  return { value: load.requests / cpuSec, rps: load.rps }
}

function wrkMeasure(name: string, paths: string[]): Measure {
  return server => underLoad(server, name, getPathsScript(paths))
}

async function warm(server: TestServer, paths: string[]) {
  for (const path of paths) {
    const answer = await fetch(server.url + path)
    await answer.arrayBuffer()
    if (!answer.ok) throw new Error(`${path}: ${answer.status}`)
  }
}

// ---- api: the catalogue (JSON and the page) on a seeded database ----

async function apiGroup(): Promise<{ start: Start; pieces: Piece[] }> {
  const template = join(work, 'template')
  mkdirSync(template)
  await seedCatalogue(writeIni(template), { titles: titleCount, reviews: reviewCount, users: 50 })
  let copies = 0
  const start: Start = async without => {
    const dir = join(work, `api-${++copies}`)
    cpSync(template, dir, { recursive: true })
    writeIni(dir)
    return startServer({ dir, env: envWithout(without) })
  }
  const searches = ['брат', 'Ёлки', 'зима город', 'сестр', 'BROTHER', 'небо'].map(q => `/api/v1/titles?q=${encodeURIComponent(q)}`)
  const lists = ['/api/v1/titles?page=1&perPage=20', '/api/v1/titles?page=3&perPage=20&sort=rating', '/api/v1/titles?kind=series']
  const ids = Array.from({ length: 200 }, (_, i) => 1 + ((i * 47) % titleCount))
  const titlesAndReviews = ids.flatMap(id => [`/api/v1/titles/${id}`, `/api/v1/titles/${id}/reviews`])
  const pages = ['/', '/?page=2', '/?sort=rating']
  const pieces: Piece[] = [
    {
      trick: 'statement-cache',
      what: 'API: titles + reviews, lists, searches',
      unit: 'req/CPU-s',
      measure: wrkMeasure('statement-cache', [...titlesAndReviews, ...lists, ...searches]),
    },
    {
      trick: 'list-cache',
      what: 'API: lists and searches',
      unit: 'req/CPU-s',
      measure: wrkMeasure('list-cache', [...lists, ...searches]),
    },
    { trick: 'prepared-titles', what: 'API: lists', unit: 'req/CPU-s', measure: wrkMeasure('prepared-titles', lists) },
    { trick: 'genres-cache', what: 'catalogue page (HTML)', unit: 'req/CPU-s', measure: wrkMeasure('genres-cache', pages) },
  ]
  const warmAll: Start = async without => {
    const server = await start(without)
    await warm(server, [...lists, ...searches, ...pages, ...titlesAndReviews.slice(0, 10)])
    return server
  }
  return { start: warmAll, pieces }
}

// ---- serve: the segment file server ----

async function serveGroup(): Promise<{ start: Start; pieces: Piece[] }> {
  const mediaDir = join(work, 'segments')
  writeSegments(mediaDir, { mediaId: 1, count: segmentCount, bytes: segmentBytes })
  // Both servers serve the same (read-only) files; each has its own database.
  const start: Start = without =>
    startServer({ ini: { MediaDataPath: mediaDir, Database: join(work, `serve-${without}.db`) }, env: envWithout(without) })
  const segments = (rangeBytes?: number): Measure => {
    const script = segmentsScript({ mediaId: 1, count: segmentCount, size: segmentBytes, rangeBytes })
    return server => underLoad(server, rangeBytes ? 'ranges' : 'whole', script)
  }
  const size = `${(segmentBytes / 1000).toFixed(0)} kB`
  const pieces: Piece[] = [
    { trick: 'file-server-memos', what: `whole segments of ${size}`, unit: 'req/CPU-s', measure: segments() },
    { trick: 'file-server-memos', what: `64 KiB ranges of segments of ${size}`, unit: 'req/CPU-s', measure: segments(64 * 1024) },
  ]
  return { start, pieces }
}

// ---- upload: peak memory during a large raw PUT ----

async function uploadGroup(): Promise<{ start: Start; pieces: Piece[] }> {
  const source = makeSourceFile(work, uploadBytes)
  const tokens = new Map<TestServer, { headers: Record<string, string>; titleId: number }>()
  const start: Start = async without => {
    const server = await startServer({ ini: { MaxUploadBytes: '100G' }, env: envWithout(without) })
    const owner = await signUp(server.url)
    const token = (await owner.post('/api/v1/tokens', { name: 'bench' })).body.token
    const title = await addTitle(owner, { name: 'Bench' })
    tokens.set(server, { headers: { authorization: `Bearer ${token}` }, titleId: title.id })
    return server
  }
  const measure: Measure = async server => {
    const account = tokens.get(server)
    if (!account) throw new Error('a server the bench did not start')
    const { headers, titleId } = account
    const put = () => fetch(`${server.url}/api/v1/titles/${titleId}/video`, { method: 'PUT', body: Bun.file(source), headers })
    const { result, peakRssMb } = await withPeakRss(server.process.pid, put)
    if (result.status !== 202) throw new Error(`PUT: ${result.status} ${await result.text()}`)
    clearMediaFolders(server.mediaDir)
    return { value: peakRssMb }
  }
  const what = `raw PUT of ${(uploadBytes / 1024 ** 2).toFixed(0)} MiB`
  return { start, pieces: [{ trick: 'upload-gc', what, unit: 'MB peak RSS', measure }] }
}

// ---- the rounds ----

async function comparePiece(start: Start, withAll: TestServer, piece: Piece): Promise<Figure> {
  const without = await start(piece.trick)
  const figures: Record<'with' | 'without', Side> = { with: { values: [], rps: [] }, without: { values: [], rps: [] } }
  try {
    // A fresh server's code is not compiled yet: one round on each side is not counted.
    if (piece.unit === 'req/CPU-s') for (const server of [withAll, without]) await piece.measure(server)
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? (['with', 'without'] as const) : (['without', 'with'] as const)
      for (const side of order) {
        const measured = await piece.measure(side === 'with' ? withAll : without)
        figures[side].values.push(measured.value)
        if (measured.rps !== undefined) figures[side].rps.push(measured.rps)
      }
    }
  } finally {
    await without.stop()
  }
  const [withMedian, withoutMedian] = [median(figures.with.values), median(figures.without.values)]
  const gain = piece.unit === 'req/CPU-s' ? withMedian / withoutMedian - 1 : withoutMedian / withMedian - 1
  return { trick: piece.trick, what: piece.what, unit: piece.unit, ...figures, gain }
}

function report(figure: Figure) {
  const list = (values: number[]) => values.map(v => v.toFixed(0)).join(' ')
  const side = ({ values, rps }: Side) =>
    `${median(values).toFixed(0)} ${figure.unit} [${list(values)}]` +
    (rps.length ? `, ${median(rps).toFixed(0)} req/s [${list(rps)}]` : '')
  const verdict = figure.gain >= 0.15 ? 'pays (≥ 15%)' : 'does not pay (< 15%)'
  console.log(
    `${figure.trick} — ${figure.what}\n  with:    ${side(figure.with)}\n  without: ${side(figure.without)}\n` +
      `  gain ${(figure.gain * 100).toFixed(1)}%: ${verdict}`,
  )
}

async function runGroup(group: Group) {
  const { start, pieces } = group === 'api' ? await apiGroup() : group === 'serve' ? await serveGroup() : await uploadGroup()
  const withAll = await start(null)
  try {
    for (const piece of pieces) report(await comparePiece(start, withAll, piece))
  } finally {
    await withAll.stop()
  }
}

const chosen = process.argv[2]
if (chosen && !groups.includes(chosen as Group)) {
  console.error(`usage: bun run bench:machinery [${groups.join('|')}]`)
  process.exit(2)
}
requireWrk()
console.log(
  `Machinery bench: ${rounds} alternating rounds of ${seconds} s, wrk -c${connections}, ` +
    `${titleCount} titles, ${navigator.hardwareConcurrency} cores; medians`,
)
try {
  for (const group of chosen ? [chosen as Group] : groups) await runGroup(group)
} finally {
  rmSync(work, { recursive: true, force: true })
}
