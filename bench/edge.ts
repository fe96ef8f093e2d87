// bun bench/edge.ts — segments through an edge cache with a warm cache, against nginx
// serving the same files straight from a folder (README "More machines", goal ≥ 0.9).
// One origin (MoviePoint), one edge (Debian's nginx with deploy/edge/moviepoint-edge.conf, as
// test/edge.test.ts starts it) and one plain nginx (a static root, `sendfile on`), both with
// one worker and an access log line per request. Every segment is asked for through the edge
// once before measuring, so the edge answers from its disk; the access log then shows
// whether any measured request reached the origin. wrk (a second process on loopback) loads
// each in alternating rounds, whole segments of two sizes (a 720p video segment, an audio
// one), and the plain nginx once more from the offset where the edge's cached bodies start
// (what nginx's cache file layout costs by itself); medians of the rounds are compared: MB/s, and MB per CPU second of the nginx
// processes (on a machine shared with other work, MB/s measure the neighbours as much as nginx).
// Knobs: BENCH_SEGMENTS, BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_ROUNDS, BENCH_THREADS.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEdge } from '../test/helpers/edge'
import { cpuSeconds } from '../test/helpers/proc'
import { startServer } from '../test/helpers/server'
import { descendantsOf } from '../src/transcoding/bounded-child'
import { segmentsScript, writeSegments } from './segments'
import { requireWrk, runWrk } from './wrk'
import { median } from './stats'

const segmentCount = Number(process.env.BENCH_SEGMENTS ?? 32)
const seconds = Number(process.env.BENCH_SECONDS ?? 5)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32)
const threads = Number(process.env.BENCH_THREADS ?? 2)
const rounds = Number(process.env.BENCH_ROUNDS ?? 5)
const sizes = [
  { name: 'video segments (1.5 MB)', mediaId: 1, bytes: 1_500_000 },
  { name: 'audio segments (100 kB)', mediaId: 2, bytes: 100_000 },
]

const workDir = mkdtempSync(join(tmpdir(), 'moviepoint-bench-edge-'))
// nginx workers run as an unprivileged user when started as root: they must be able to read.
chmodSync(workDir, 0o755)
const mediaDir = join(workDir, 'media')

type Target = { url: string; pid: number }

// CPU seconds of an nginx master and its workers.
const nginxCpuSeconds = (pid: number) => [pid, ...descendantsOf(pid)].reduce((sum, each) => sum + cpuSeconds(each), 0)

async function startStaticNginx(): Promise<Target & { stop: () => Promise<void> }> {
  const dir = join(workDir, 'static-nginx')
  mkdirSync(dir)
  const probe = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response() })
  const port = probe.port as number
  await probe.stop(true)
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
events { worker_connections 4096; }
http {
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  sendfile on;
  keepalive_requests 1000000;
  access_log ${dir}/access.log;
  types { video/mp2t ts; application/vnd.apple.mpegurl m3u8; }
  server {
    listen 127.0.0.1:${port};
    root ${workDir};
    location /media/ { add_header Cache-Control "public, max-age=31536000, immutable"; }
  }
}
`,
  )
  const child = Bun.spawn(['nginx', '-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf')], { stderr: 'pipe' })
  const url = `http://127.0.0.1:${port}`
  for (let tries = 0; (await fetch(`${url}/media/1/stream_0/data0000.ts`).catch(() => null))?.status !== 200; tries++) {
    if (tries === 200) throw new Error('the static nginx does not serve the segments')
    await Bun.sleep(25)
  }
  return {
    url,
    pid: child.pid,
    async stop() {
      child.kill('SIGQUIT')
      await child.exited
    },
  }
}

// Where the body starts in the edge's cache files of segments of `bytes` bytes.
function cacheHeaderBytes(cacheDir: string, bytes: number): number {
  for (const entry of readdirSync(cacheDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const size = statSync(join(entry.parentPath, entry.name)).size
    if (size > bytes && size < bytes + 4096) return size - bytes
  }
  throw new Error(`no cached segment of ${bytes} bytes in ${cacheDir}`)
}

// Each segment in turn, from byte `start` to its end.
function fromOffsetScript(mediaId: number, start: number): string {
  return `local i = 0
request = function()
  i = i % ${segmentCount} + 1
  return wrk.format("GET", string.format("/media/${mediaId}/stream_0/data%04d.ts", i - 1), { ["Range"] = "bytes=${start}-" })
end
`
}

requireWrk()
try {
  for (const size of sizes) writeSegments(mediaDir, { mediaId: size.mediaId, count: segmentCount, bytes: size.bytes })
  const origin = await startServer({ ini: { MediaDataPath: mediaDir } })
  const edge = await startEdge(origin.url)
  const direct = await startStaticNginx()
  try {
    // Warm the edge: every segment once, then nothing more may reach the origin.
    for (const size of sizes)
      for (let i = 0; i < segmentCount; i++)
        await (await fetch(`${edge.url}/media/${size.mediaId}/stream_0/data${String(i).padStart(4, '0')}.ts`)).arrayBuffer()
    await Bun.sleep(200)
    const warmFetches = edge.originFetches().length
    console.log(
      `Edge bench: ${segmentCount} segments of each size, wrk -t${threads} -c${connections} -d${seconds}s, ` +
        `${rounds} alternating rounds, medians; both nginx with 1 worker`,
    )
    for (const size of sizes) {
      const headerBytes = cacheHeaderBytes(edge.cacheDir, size.bytes)
      const runs = [
        {
          name: 'edge (warm cache)',
          target: edge,
          script: segmentsScript({ mediaId: size.mediaId, count: segmentCount, size: size.bytes }),
        },
        {
          name: 'nginx static root',
          target: direct,
          script: segmentsScript({ mediaId: size.mediaId, count: segmentCount, size: size.bytes }),
        },
        // What the edge's file layout costs by itself: the same files from the offset where the
        // edge's cached bodies start (behind nginx's header), not a page boundary.
        { name: `static from byte ${headerBytes}`, target: direct, script: fromOffsetScript(size.mediaId, headerBytes) },
      ]
      const figures = runs.map(() => ({ mbPerSec: [] as number[], mbPerCpuSec: [] as number[] }))
      let non2xx = 0
      for (let round = 0; round < rounds; round++) {
        // Who goes first turns round, so a busy moment of the machine hurts all alike.
        for (let turn = 0; turn < runs.length; turn++) {
          const index = (round + turn) % runs.length
          const { target, script, name } = runs[index]
          const cpuBefore = nginxCpuSeconds(target.pid)
          const load = await runWrk({
            url: target.url,
            script,
            name: name.replace(/\W+/g, '-'),
            dir: workDir,
            seconds,
            connections,
            threads,
          })
          const cpu = nginxCpuSeconds(target.pid) - cpuBefore
          figures[index].mbPerSec.push(load.mbPerSec)
          figures[index].mbPerCpuSec.push((load.mbPerSec * seconds) / cpu)
          non2xx += load.non2xx
        }
      }
      const line = (label: string, values: number[]) =>
        `${label} ${median(values).toFixed(0).padStart(6)}  (rounds ${values.map(v => v.toFixed(0)).join(' ')})`
      const ratio = (index: number, key: 'mbPerSec' | 'mbPerCpuSec') => (median(figures[index][key]) / median(figures[1][key])).toFixed(2)
      console.log(`${size.name}:`)
      for (const [index, run] of runs.entries())
        console.log(`  ${run.name.padEnd(22)} ${line('MB/s', figures[index].mbPerSec)}  ${line('MB/CPU-s', figures[index].mbPerCpuSec)}`)
      console.log(
        `  edge ÷ static: ${ratio(0, 'mbPerSec')} in MB/s, ${ratio(0, 'mbPerCpuSec')} in MB per CPU second (goal ≥ 0.9); ` +
          `static from byte ${headerBytes} ÷ static: ${ratio(2, 'mbPerSec')}, ${ratio(2, 'mbPerCpuSec')}${non2xx ? `  (${non2xx} non-2xx!)` : ''}`,
      )
    }
    console.log(`Requests that reached the origin while measuring: ${edge.originFetches().length - warmFetches}`)
  } finally {
    await Promise.all([edge.stop(), direct.stop()])
    await origin.stop()
  }
} finally {
  rmSync(workDir, { recursive: true, force: true })
}
