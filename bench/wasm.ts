// WebAssembly mode against native: the same 20 s 720p clip (H.264 at a bit rate the copy
// rule takes, keyframes every 2 s, two audio languages) through a real server whose worker
// runs native ffmpeg, then one whose worker finds none (FFmpegPath nowhere, PATH holding
// only bun), alternating; job time from the worker's own log line. Prints the ratio.
// `bun bench/wasm.ts` (BENCH_ROUNDS, BENCH_DURATION_SEC, BENCH_WASM_LADDER).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { signUp } from '../test/helpers/client'
import { startServer } from '../test/helpers/server'
import {
  createMovie,
  enqueueSourceFile,
  isFinished,
  makeSource,
  openServerDb,
  waitForJobLine,
  waitForMedia,
} from '../test/helpers/transcode'
import { median } from './stats'

const rounds = Number(process.env.BENCH_ROUNDS ?? 3)
const durationSec = Number(process.env.BENCH_DURATION_SEC ?? 20)
const ladder = process.env.BENCH_WASM_LADDER ?? 'copy,360'
const dir = mkdtempSync(join(tmpdir(), 'moviepoint-bench-wasm-'))
const binDir = join(dir, 'bin')
mkdirSync(binDir)
symlinkSync(process.execPath, join(binDir, 'bun'))

const source = await makeSource(join(dir, 'clip.mkv'), {
  width: 1280,
  height: 720,
  durationSec,
  fps: 24,
  keyframeInterval: 48,
  pixelFormat: 'yuv420p',
  videoBitrate: '2000k',
  audio: ['eng', 'rus'],
})

async function jobSeconds(mode: 'native' | 'wasm'): Promise<number> {
  const wasm = {
    ini: { FFmpegPath: join(dir, 'nowhere/ffmpeg'), FFprobePath: join(dir, 'nowhere/ffprobe'), WasmLadder: ladder },
    env: { PATH: binDir },
  }
  const server = await startServer(mode === 'wasm' ? { ini: { Workers: 1, ...wasm.ini }, env: wasm.env } : { ini: { Workers: 1 } })
  try {
    const owner = await signUp(server.url)
    const { db, client } = openServerDb(server)
    const titleId = await createMovie(db, owner.userId)
    const mediaId = await enqueueSourceFile(server, db, { titleId, ownerId: owner.userId, sourcePath: source })
    const row = await waitForMedia(db, mediaId, isFinished, 600_000)
    if (row.status !== 'ready') throw new Error(`${mode}: ${row.error}`)
    const line = await waitForJobLine(server, mediaId)
    client.close()
    return Number(/ready in ([\d.]+) s/.exec(line)?.[1])
  } finally {
    await server.stop()
  }
}

const times = { native: [] as number[], wasm: [] as number[] }
for (let round = 0; round < rounds; round++) {
  const order: ('native' | 'wasm')[] = round % 2 === 0 ? ['native', 'wasm'] : ['wasm', 'native']
  for (const mode of order) times[mode].push(await jobSeconds(mode))
  console.log(`round ${round + 1}: native ${times.native.at(-1)} s, wasm ${times.wasm.at(-1)} s`)
}
console.log(
  `${durationSec} s 720p, native default ladder (720/480/360, x264 ${process.env.MOVIEPOINT_X264_PRESET ?? 'veryfast'}) vs WebAssembly WasmLadder=${ladder}: ` +
    `median native ${median(times.native)} s, wasm ${median(times.wasm)} s, ratio ${(median(times.wasm) / median(times.native)).toFixed(2)}`,
)
rmSync(dir, { recursive: true, force: true })
