// The load generator of the benchmarks: wrk (from apt), a second process on loopback,
// driven by a Lua script. One place to run it and read its report.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

export type WrkOptions = {
  url: string
  // Lua text; written into `dir` under a name made from `name`.
  script: string
  name: string
  dir: string
  seconds: number
  connections: number
  threads?: number
  headers?: Record<string, string>
}

export type WrkResult = { requests: number; rps: number; p50Ms: number; p99Ms: number; mbPerSec: number; non2xx: number; errors: string }

export function requireWrk() {
  if (!Bun.which('wrk')) throw new Error('wrk is needed: apt-get install wrk')
}

function toMs(text: string): number {
  const match = /([\d.]+)(us|ms|s)/.exec(text)
  if (!match) return 0
  const value = Number(match[1])
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value
}

function toMbPerSec(text: string): number {
  const match = /Transfer\/sec:\s+([\d.]+)([KMG]?B)/.exec(text)
  if (!match) return 0
  const scale = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 }[match[2] as 'B' | 'KB' | 'MB' | 'GB']
  return (Number(match[1]) * scale) / 1e6
}

export async function runWrk(options: WrkOptions): Promise<WrkResult> {
  const scriptPath = join(options.dir, `${options.name.replace(/\W+/g, '_')}.lua`)
  writeFileSync(scriptPath, options.script)
  const headers = Object.entries(options.headers ?? {}).flatMap(([key, value]) => ['-H', `${key}: ${value}`])
  const command = ['wrk', '--latency', '-t', String(options.threads ?? 2), '-c', String(options.connections)]
  const wrk = Bun.spawn([...command, '-d', `${options.seconds}s`, ...headers, '-s', scriptPath, options.url], {
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const out = await new Response(wrk.stdout).text()
  await wrk.exited
  const line = (label: string) => new RegExp(`^\\s*${label}\\s+(\\S+)`, 'm').exec(out)?.[1] ?? '0'
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0)
  const socketErrors = /Socket errors: (.*)/.exec(out)?.[1]
  const errors = [non2xx ? `${non2xx} non-2xx` : '', socketErrors ?? ''].filter(Boolean).join('; ')
  return {
    requests: Number(/(\d+) requests in/.exec(out)?.[1] ?? 0),
    rps: Number(line('Requests/sec:')),
    p50Ms: toMs(line('50%')),
    p99Ms: toMs(line('99%')),
    mbPerSec: toMbPerSec(out),
    non2xx,
    errors: errors || 'none',
  }
}

// GET of each path in turn.
export function getPathsScript(paths: string[]): string {
  return `local paths = {${paths.map(p => JSON.stringify(p)).join(',')}}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end`
}
