// bun bench/serve.ts — HLS segment serving, MoviePoint against nginx (sendfile on).
// Writes a media folder of segments (64 × 1.5 MB by default), serves it from MoviePoint
// and from nginx (temporary config, loopback port, same files), and loads each with wrk
// (32 connections, a second process): whole segments, then 64 KiB ranges at random
// offsets. Prints requests/s, MB/s and the ratios (goals: whole ≥ 0.85, ranges ≥ 0.6),
// with a minimal Bun file server (bench/minimal-file-server.ts) as the ceiling for Bun.
// nginx runs with tcp_nopush off, its better setting here: on stalls small ranges behind
// delayed ACKs, and makes no difference to whole segments (4 alternating rounds: within
// ±6%). Every target gets the same number of tries (BENCH_ROUNDS, interleaved, the best
// kept): a target tried more often would win on noise alone.
// Knobs: BENCH_SEGMENTS, BENCH_SEGMENT_BYTES, BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_ROUNDS,
// BENCH_THREADS (wrk), BENCH_NGINX_WORKERS (1 by default: one event loop, like Bun).
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServer } from '../test/helpers/server'
import { segmentsScript, writeSegments } from './segments'
import { runWrk } from './wrk'

const segmentCount = Number(process.env.BENCH_SEGMENTS ?? 64)
const segmentBytes = Number(process.env.BENCH_SEGMENT_BYTES ?? 1_500_000)
const seconds = Number(process.env.BENCH_SECONDS ?? 10)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32)
const threads = Number(process.env.BENCH_THREADS ?? 2)
const nginxWorkers = Number(process.env.BENCH_NGINX_WORKERS ?? 1)
const rounds = Number(process.env.BENCH_ROUNDS ?? 2)
const rangeBytes = 64 * 1024
const mediaId = 1

const workDir = mkdtempSync(join(tmpdir(), 'moviepoint-bench-serve-'))
// nginx workers run as an unprivileged user when started as root: they must be able to read.
chmodSync(workDir, 0o755)
const mediaDir = join(workDir, 'media')

type Load = { requestsPerSec: number; mbPerSec: number; non2xx: number }

async function measureLoad(baseUrl: string, withRanges: boolean): Promise<Load> {
  const script = segmentsScript({ mediaId, count: segmentCount, size: segmentBytes, rangeBytes: withRanges ? rangeBytes : undefined })
  const name = withRanges ? 'ranges' : 'whole'
  const load = await runWrk({ url: baseUrl, script, name, dir: workDir, seconds, connections, threads })
  return { requestsPerSec: load.rps, mbPerSec: load.mbPerSec, non2xx: load.non2xx }
}

async function startNginx(): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = 20000 + Math.floor(Math.random() * 20000)
  const dir = join(workDir, 'nginx')
  mkdirSync(dir)
  const config = `
daemon off;
worker_processes ${nginxWorkers};
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush off;
  keepalive_requests 1000000;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  types { video/mp2t ts; application/vnd.apple.mpegurl m3u8; }
  server {
    listen 127.0.0.1:${port};
    root ${workDir};
    location /media/ { add_header Cache-Control "public, max-age=31536000, immutable"; }
  }
}
`
  writeFileSync(join(dir, 'nginx.conf'), config)
  const child = Bun.spawn(['/usr/sbin/nginx', '-c', join(dir, 'nginx.conf'), '-p', dir], { stdout: 'ignore', stderr: 'pipe' })
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; ; i++) {
    const answer = await fetch(`${url}/media/${mediaId}/stream_0/data0000.ts`).catch(() => null)
    if (answer?.status === 200) break
    if (i === 200) throw new Error(`nginx does not serve the segments (${answer?.status})`)
    await Bun.sleep(25)
  }
  return {
    url,
    async stop() {
      child.kill()
      await child.exited
    },
  }
}

type Figures = { moviePoint: Load; nginx: Load; minimalBun: Load }

function report(name: string, figures: Figures, goal: number) {
  const line = (who: string, load: Load) =>
    `  ${who.padEnd(12)} ${load.requestsPerSec.toFixed(0).padStart(7)} req/s ${load.mbPerSec.toFixed(0).padStart(6)} MB/s` +
    `  ${(load.requestsPerSec / figures.nginx.requestsPerSec).toFixed(2)} of nginx` +
    (load.non2xx ? `  (${load.non2xx} non-2xx!)` : '')
  console.log(`${name} (goal: MoviePoint ≥ ${goal} of nginx):`)
  console.log(line('MoviePoint', figures.moviePoint))
  console.log(line('nginx', figures.nginx))
  console.log(line('minimal Bun', figures.minimalBun))
}

async function startMinimalBun(): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = Bun.spawn(['bun', join(import.meta.dir, 'minimal-file-server.ts'), workDir], { stdout: 'pipe' })
  const line = new TextDecoder().decode((await (child.stdout as ReadableStream<Uint8Array>).getReader().read()).value)
  return {
    url: /listening on (\S+)/.exec(line)?.[1] as string,
    async stop() {
      child.kill()
      await child.exited
    },
  }
}

const better = (a: Load | undefined, b: Load) => (!a || b.requestsPerSec > a.requestsPerSec ? b : a)

type Best = { whole?: Load; ranges?: Load }

// All targets take turns, round after round, so a busy moment hurts them alike.
async function measure(targets: Record<string, string>): Promise<Record<string, Best>> {
  const best: Record<string, Best> = {}
  for (let round = 0; round < rounds; round++)
    for (const [name, url] of Object.entries(targets)) {
      best[name] ??= {}
      best[name].whole = better(best[name].whole, await measureLoad(url, false))
      best[name].ranges = better(best[name].ranges, await measureLoad(url, true))
    }
  return best
}

try {
  writeSegments(mediaDir, { mediaId, count: segmentCount, bytes: segmentBytes })
  console.log(
    `Serve bench: ${segmentCount} segments of ${segmentBytes} bytes, wrk -t${threads} -c${connections} -d${seconds}s, ` +
      `best of ${rounds} rounds, nginx workers ${nginxWorkers}`,
  )
  const server = await startServer({ ini: { MediaDataPath: mediaDir } })
  const nginx = await startNginx()
  const minimalBun = await startMinimalBun()
  try {
    const best = await measure({ moviePoint: server.url, nginx: nginx.url, minimalBun: minimalBun.url })
    const figures = (kind: keyof Best): Figures => ({
      moviePoint: best.moviePoint[kind] as Load,
      nginx: best.nginx[kind] as Load,
      minimalBun: best.minimalBun[kind] as Load,
    })
    report('Whole segments', figures('whole'), 0.85)
    report('64 KiB ranges', figures('ranges'), 0.6)
  } finally {
    for (const target of [nginx, minimalBun]) await target.stop()
    await server.stop()
  }
} finally {
  rmSync(workDir, { recursive: true, force: true })
}
