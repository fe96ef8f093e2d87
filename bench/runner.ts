// bun bench/runner.ts — a remote runner against a local worker (issue 14; goal: runner ÷
// local ≤ 1.10 in wall time).
//
// The same source, BENCH_DURATION_SEC (60) seconds of BENCH_HEIGHT (720) p30 with two audio
// tracks, uploaded by PUT to (local) a real server with one worker (`Workers=1`), and to
// (runner) a real server with `Workers=0` and one `bun run runner` beside it over loopback
// HTTP: it downloads the source, runs the same ffmpeg command and uploads every segment.
// Wall time from the upload's 202 to `ready` (the job row's own timestamp). BENCH_ROUNDS (2)
// rounds, which one goes first alternating, the machine being shared; medians reported.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import { jobs, media } from '../src/db/schema'
import { createRegistrationToken } from '../src/runners/tokens'
import { signUp } from '../test/helpers/client'
import { send } from '../test/helpers/media'
import { repoRoot, startServer } from '../test/helpers/server'
import { createMovie, makeSource, openServerDb } from '../test/helpers/transcode'
import { loadAverage, median } from './stats'

const durationSec = Number(process.env.BENCH_DURATION_SEC ?? 60)
const height = Number(process.env.BENCH_HEIGHT ?? 720)
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 2))
const work = mkdtempSync(join(tmpdir(), 'moviepoint-bench-runner-'))

type Mode = 'local' | 'runner'

// A runner process beside the server, registered with a fresh registration token; resolves
// once it says it is ready.
async function startRunner(serverUrl: string, token: string) {
  const child = Bun.spawn(
    ['bun', 'workers/runner.ts', '--server', serverUrl, '--token', token, '--name', 'bench', '--dir', join(work, 'runner')],
    { cwd: repoRoot, stdout: 'pipe', stderr: 'inherit' },
  )
  const reader = (child.stdout as ReadableStream<Uint8Array>).getReader()
  let output = ''
  while (!/ready for/.test(output)) {
    const next = await reader.read()
    if (next.done) throw new Error(`the runner stopped:\n${output}`)
    output += new TextDecoder().decode(next.value)
  }
  return child
}

// Upload done (202) → ready, in seconds.
async function uploadToReady(mode: Mode, source: string): Promise<number> {
  const server = await startServer({ ini: { Workers: mode === 'local' ? 1 : 0 } })
  const { client, db } = openServerDb(server)
  const runner =
    mode === 'runner'
      ? await startRunner(server.url, (await createRegistrationToken(db, { label: 'bench', createdBy: null })).token)
      : null
  try {
    const user = await signUp(server.url)
    const titleId = await createMovie(db, user.userId)
    await Bun.sleep(1500) // let the worker or the runner settle, as on a running server
    const answer = await send(user, 'PUT', `/api/v1/titles/${titleId}/video?filename=film.mkv`, { body: Bun.file(source) })
    if (answer.status !== 202) throw new Error(`upload failed: ${answer.status} ${await answer.text()}`)
    const startedMs = Date.now()
    const mediaId = (await answer.json()).media.id
    for (;;) {
      const [row] = await db.select().from(media).where(eq(media.id, mediaId))
      if (row.status === 'failed') throw new Error(`${mode}: ${row.error}`)
      if (row.status === 'ready') break
      await Bun.sleep(250)
    }
    const [job] = await db.select().from(jobs).where(eq(jobs.mediaId, mediaId))
    return (Date.parse(job.updatedAt) - startedMs) / 1000
  } finally {
    runner?.kill()
    await runner?.exited
    client.close()
    await server.stop()
    rmSync(join(work, 'runner'), { recursive: true, force: true })
  }
}

try {
  const width = Math.round((height * 16) / 9 / 2) * 2
  const source = await makeSource(join(work, 'source.mkv'), { width, height, durationSec, audio: ['eng', 'rus'], preset: 'veryfast' })
  console.log(
    `${durationSec} s ${width}x${height}p30, 2 audio tracks, ${(Bun.file(source).size / 2 ** 20).toFixed(1)} MiB; upload done → ready`,
  )
  const times: Record<Mode, number[]> = { local: [], runner: [] }
  for (let i = 0; i < rounds; i++) {
    const order: Mode[] = i % 2 === 0 ? ['local', 'runner'] : ['runner', 'local']
    for (const mode of order) times[mode].push(await uploadToReady(mode, source))
    const [local, runner] = [times.local[i], times.runner[i]]
    console.log(
      `  round ${i + 1}: local worker ${local.toFixed(1)} s, runner over HTTP ${runner.toFixed(1)} s, runner ÷ local ${(runner / local).toFixed(2)}; load ${loadAverage()}`,
    )
  }
  const [local, runner] = [median(times.local), median(times.runner)]
  console.log(
    `medians of ${rounds}: local ${local.toFixed(1)} s, runner ${runner.toFixed(1)} s, runner ÷ local ${(runner / local).toFixed(2)}   goal ≤ 1.10`,
  )
} finally {
  rmSync(work, { recursive: true, force: true })
}
