// bun bench/upload.ts — upload throughput and memory.
// Sends one file (2 GiB by default) to MoviePoint by raw PUT and by tus (64 MiB PATCHes),
// and by PUT to a minimal Bun server that only streams the body to a file on the same
// disk (bench/minimal-put-server.ts). Prints MB/s, the ratios to the minimal server
// (goals: PUT ≥ 0.85, tus ≥ 0.7), the CPU time each server spent per GiB (what a busy
// machine changes least) and MoviePoint's peak RSS (goal < 150 MB).
// Sizes: BENCH_UPLOAD_BYTES, BENCH_TUS_CHUNK_BYTES; BENCH_RUNS (best of), BENCH_DIR (the disk).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { addTitle } from '../test/helpers/catalogue'
import { signUp } from '../test/helpers/client'
import { tusMetadata } from '../test/helpers/media'
import { startServer } from '../test/helpers/server'
import { clearMediaFolders, makeSourceFile, withPeakRss } from './upload-tools'

const MiB = 1024 * 1024
const uploadBytes = Number(process.env.BENCH_UPLOAD_BYTES ?? 2 * 1024 * MiB)
const tusChunkBytes = Number(process.env.BENCH_TUS_CHUNK_BYTES ?? 64 * MiB)
const runs = Number(process.env.BENCH_RUNS ?? 2)
const workDir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'moviepoint-bench-upload-'))

// The server's CPU per GiB stored: unlike MB/s, barely moved by other work on the machine.
const cpuPerGib = (cpuSec: number) => cpuSec / runs / (uploadBytes / 1024 ** 3)

function statusMb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return Number(match?.[1] ?? 0) / 1024
}

async function timed(work: () => Promise<void>): Promise<number> {
  const started = performance.now()
  await work()
  return (performance.now() - started) / 1000
}

const mbPerSec = (seconds: number) => uploadBytes / 1e6 / seconds

async function expectStatus(response: Response, status: number, what: string) {
  if (response.status !== status) throw new Error(`${what}: ${response.status} ${await response.text()}`)
  return response
}

async function putFile(url: string, source: string, headers: Record<string, string> = {}) {
  await expectStatus(await fetch(url, { method: 'PUT', body: Bun.file(source), headers }), url.includes('/api/') ? 202 : 200, 'PUT')
}

async function tusUpload(baseUrl: string, source: string, headers: Record<string, string>, target: string) {
  const created = await expectStatus(
    await fetch(`${baseUrl}/api/v1/uploads`, {
      method: 'POST',
      headers: {
        ...headers,
        'tus-resumable': '1.0.0',
        'upload-length': String(uploadBytes),
        'upload-metadata': tusMetadata({ filename: 'bench.mkv', target }),
      },
    }),
    201,
    'tus create',
  )
  const location = created.headers.get('location') as string
  for (let offset = 0; offset < uploadBytes; offset += tusChunkBytes) {
    const end = Math.min(uploadBytes, offset + tusChunkBytes)
    await expectStatus(
      await fetch(location, {
        method: 'PATCH',
        headers: {
          ...headers,
          'tus-resumable': '1.0.0',
          'upload-offset': String(offset),
          'content-type': 'application/offset+octet-stream',
        },
        body: Bun.file(source).slice(offset, end),
      }),
      204,
      'tus PATCH',
    )
  }
}

// A fast path that stores the wrong bytes is no result: every stored source must have
// exactly the size sent (a tus PATCH once stored N zero bytes before its N bytes).
function assertStoredSizes(mediaFolder: string) {
  for (const name of readdirSync(mediaFolder).filter(n => /^\d+$/.test(n))) {
    for (const file of readdirSync(join(mediaFolder, name)).filter(n => n.startsWith('source.'))) {
      const size = statSync(join(mediaFolder, name, file)).size
      if (size !== uploadBytes) throw new Error(`media ${name}: ${size} bytes stored, ${uploadBytes} sent`)
    }
  }
}

async function bestOf(work: () => Promise<void>, cleanup: () => void): Promise<number> {
  let best = Number.POSITIVE_INFINITY
  for (let i = 0; i < runs; i++) {
    best = Math.min(best, await timed(work))
    cleanup()
  }
  return best
}

async function measureMinimal(source: string): Promise<{ result: number; cpuSec: number }> {
  const folder = join(workDir, 'minimal')
  mkdirSync(folder)
  const child = Bun.spawn(['bun', resolve(import.meta.dir, 'minimal-put-server.ts'), folder], { stdout: 'pipe' })
  try {
    const reader = (child.stdout as ReadableStream<Uint8Array>).getReader()
    const line = new TextDecoder().decode((await reader.read()).value)
    const url = /listening on (\S+)/.exec(line)?.[1] as string
    return await withPeakRss(child.pid, () =>
      bestOf(
        () => putFile(`${url}/`, source),
        () => clearMediaFolders(folder),
      ),
    )
  } finally {
    child.kill()
    await child.exited
  }
}

async function measureMoviePoint(source: string) {
  const server = await startServer({ ini: { MaxUploadBytes: '100G', MediaDataPath: join(workDir, 'media') } })
  try {
    const owner = await signUp(server.url)
    const token = (await owner.post('/api/v1/tokens', { name: 'bench' })).body.token
    const title = await addTitle(owner, { name: 'Bench' })
    const headers = { authorization: `Bearer ${token}` }
    const pid = server.process.pid
    const idleRssMb = statusMb(pid, 'VmRSS')
    const cleanup = () => {
      assertStoredSizes(join(workDir, 'media'))
      clearMediaFolders(join(workDir, 'media'))
    }
    const put = await withPeakRss(pid, () =>
      bestOf(() => putFile(`${server.url}/api/v1/titles/${title.id}/video`, source, headers), cleanup),
    )
    const tus = await withPeakRss(pid, () => bestOf(() => tusUpload(server.url, source, headers, `title:${title.id}`), cleanup))
    return { put, tus, idleRssMb, highWaterMb: statusMb(pid, 'VmHWM') }
  } finally {
    await server.stop()
  }
}

try {
  console.log(
    `Upload bench: ${(uploadBytes / MiB).toFixed(0)} MiB, tus chunks of ${(tusChunkBytes / MiB).toFixed(0)} MiB, best of ${runs}, in ${workDir}`,
  )
  const source = makeSourceFile(workDir, uploadBytes)
  const minimal = await measureMinimal(source)
  const minimalSec = minimal.result
  const moviePoint = await measureMoviePoint(source)
  const rows = [
    ['minimal Bun PUT', minimal, 1],
    ['MoviePoint PUT', moviePoint.put, minimalSec / moviePoint.put.result],
    ['MoviePoint tus', moviePoint.tus, minimalSec / moviePoint.tus.result],
  ] as const
  for (const [name, { result: seconds, cpuSec }, ratio] of rows)
    console.log(
      `${name.padEnd(18)} ${mbPerSec(seconds).toFixed(0).padStart(6)} MB/s  ${seconds.toFixed(2)} s  ratio ${ratio.toFixed(2)}  ` +
        `server CPU ${cpuPerGib(cpuSec).toFixed(2)} s/GiB`,
    )
  console.log(
    `MoviePoint RSS: idle before uploads ${moviePoint.idleRssMb.toFixed(0)} MB, peak during PUT ${moviePoint.put.peakRssMb.toFixed(0)} MB, ` +
      `during tus ${moviePoint.tus.peakRssMb.toFixed(0)} MB, ` +
      `VmHWM (whole process life) ${moviePoint.highWaterMb.toFixed(0)} MB`,
  )
  console.log('Goals: PUT ratio ≥ 0.85, tus ratio ≥ 0.7, peak RSS < 150 MB')
} finally {
  rmSync(workDir, { recursive: true, force: true })
}
