// Edge caches for tests and benchmarks: Debian's nginx started on a loopback port with the
// shipped deploy/edge/moviepoint-edge.conf (its @NAMES@ filled in) inside a minimal nginx.conf,
// its own prefix, cache folder and access log. The log is how the origin's load is counted:
// every line with an `origin=` address is one request the edge sent to the origin.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Subprocess } from 'bun'
import { repoRoot } from './server'

export const nginxPath = ['/usr/sbin/nginx', Bun.which('nginx')].find(path => path && existsSync(path)) ?? null

export const edgeTemplatePath = join(repoRoot, 'deploy/edge/moviepoint-edge.conf')

export type EdgeValues = { listen: string; origin: string; cacheDir: string; accessLog: string }

// The shipped template with its four names replaced, as README tells a self-hoster to do.
export function edgeConfig(values: EdgeValues): string {
  const text = readFileSync(edgeTemplatePath, 'utf8')
    .replaceAll('@LISTEN@', values.listen)
    .replaceAll('@ORIGIN@', values.origin)
    .replaceAll('@CACHE_DIR@', values.cacheDir)
    .replaceAll('@ACCESS_LOG@', values.accessLog)
  const left = /@[A-Z_]+@/.exec(text)
  if (left) throw new Error(`deploy/edge/moviepoint-edge.conf: ${left[0]} has no value`)
  return text
}

// `attempts` > 1: nginx found a kept connection closed and asked again.
export type OriginFetch = { path: string; status: number; cache: string; attempts: number }

export type Edge = {
  url: string
  // The nginx master process (its workers are its children).
  pid: number
  cacheDir: string
  // Requests this edge sent to the origin so far, oldest first.
  originFetches: () => OriginFetch[]
  stop: () => Promise<void>
}

async function freePort(): Promise<number> {
  const probe = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response() })
  const port = probe.port as number
  await probe.stop(true)
  return port
}

// `127.0.0.1 [...] "GET /media/1/x.ts HTTP/1.1" 200 123 cache=MISS origin=127.0.0.1:8080 origin_status=206`
const logLine = /"\S+ (\S+) [^"]*" \d+ \d+ cache=(\S+) origin=(.+) origin_status=(.+)$/

function readOriginFetches(accessLog: string): OriginFetch[] {
  if (!existsSync(accessLog)) return []
  return readFileSync(accessLog, 'utf8')
    .split('\n')
    .map(line => logLine.exec(line))
    .filter(match => match !== null && match[3] !== '-')
    .map(match => {
      const [, path, cache, , statuses] = match as RegExpExecArray
      const attempts = statuses.split(',')
      return { path, cache, status: Number(attempts.at(-1)), attempts: attempts.length }
    })
}

export async function startEdge(originUrl: string, options: { workers?: number } = {}): Promise<Edge> {
  if (!nginxPath) throw new Error('nginx is not installed (apt-get install nginx)')
  const dir = mkdtempSync(join(tmpdir(), 'moviepoint-edge-'))
  // Started as root, nginx's workers run as an unprivileged user: they must reach the folder.
  chmodSync(dir, 0o755)
  const port = await freePort()
  const accessLog = join(dir, 'access.log')
  const cacheDir = join(dir, 'cache')
  const site = edgeConfig({ listen: `127.0.0.1:${port}`, origin: new URL(originUrl).host, cacheDir, accessLog })
  writeFileSync(join(dir, 'moviepoint-edge.conf'), site)
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;
worker_processes ${options.workers ?? 1};
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  sendfile on;
  keepalive_requests 1000000;
  include ${dir}/moviepoint-edge.conf;
}
`,
  )
  const child: Subprocess = Bun.spawn([nginxPath, '-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf')], {
    stdout: 'ignore',
    stderr: 'pipe',
  })
  const url = `http://127.0.0.1:${port}`
  for (let tries = 0; ; tries++) {
    const answer = await fetch(`${url}/media/0/none.ts`).catch(() => null)
    if (answer) break
    if (child.exitCode !== null || tries === 400) {
      const stderr = await new Response(child.stderr as ReadableStream).text()
      const log = existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : ''
      throw new Error(`nginx did not start (exit ${child.exitCode}): ${stderr}${log}`)
    }
    await Bun.sleep(25)
  }
  return {
    url,
    pid: child.pid,
    cacheDir,
    originFetches: () => readOriginFetches(accessLog),
    async stop() {
      child.kill('SIGQUIT')
      await child.exited
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
