// Starts a real MoviePoint server (bun src/main.ts) on a free port with its own ini,
// data folder and libSQL file, exactly as a person would run it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Subprocess } from 'bun'

export type TestServer = {
  url: string
  dir: string
  mediaDir: string
  iniPath: string
  process: Subprocess
  output: () => string
  stop: () => Promise<void>
  // Ends the process (SIGKILL: like a crash) and keeps its folder, for startServer({ dir }).
  kill: () => Promise<void>
  // Stops it as its owner would (SIGTERM: workers put their jobs back in the queue) and keeps its folder.
  shutdown: () => Promise<void>
}

export type ServerOptions = {
  // Lines of admins.txt (user ids are 1, 2, … in registration order on a fresh database).
  admins?: string
  // Extra or overriding server.ini keys.
  ini?: Record<string, string | number | boolean>
  // Restart on the folder (ini, data, database) of a server stopped with kill().
  dir?: string
  // Extra environment for the server and the workers it starts (e.g. MOVIEPOINT_X264_PRESET).
  env?: Record<string, string>
}

export const repoRoot = resolve(import.meta.dir, '../..')

export function writeIni(dir: string, options: ServerOptions = {}): string {
  const keys: Record<string, string | number | boolean> = {
    MediaDataPath: join(dir, 'media'),
    Host: '127.0.0.1',
    Port: 0,
    AdminsFile: join(dir, 'admins.txt'),
    Workers: 0,
    // Test files sign up many users from 127.0.0.1; test/account-throttle.test.ts sets its own.
    MaxSignUpsPerHour: 1_000_000,
    ...options.ini,
  }
  const iniPath = join(dir, 'server.ini')
  writeFileSync(
    iniPath,
    Object.entries(keys)
      .map(([k, v]) => `${k}=${JSON.stringify(String(v))}\n`)
      .join(''),
  )
  if (options.admins !== undefined) writeFileSync(join(dir, 'admins.txt'), options.admins)
  return iniPath
}

export async function startServer(options: ServerOptions = {}): Promise<TestServer> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'moviepoint-test-'))
  const iniPath = options.dir ? join(dir, 'server.ini') : writeIni(dir, options)
  const child = Bun.spawn(['bun', 'src/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, ...options.env, MOVIEPOINT_CONFIG: iniPath },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  let output = ''
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    const reader = stream.getReader()
    const decoder = new TextDecoder()
    for (let next = await reader.read(); !next.done; next = await reader.read()) output += decoder.decode(next.value, { stream: true })
  }
  void collect(child.stdout as ReadableStream<Uint8Array>)
  void collect(child.stderr as ReadableStream<Uint8Array>)
  const deadline = Date.now() + 20_000
  let url: string | undefined
  while (!url) {
    url = /listening on (http:\/\/\S+)/.exec(output)?.[1]?.replace('localhost', '127.0.0.1')
    if (url) break
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start (exit ${child.exitCode}):\n${output}`)
    await Bun.sleep(25)
  }
  return {
    url,
    dir,
    mediaDir: join(dir, 'media'),
    iniPath,
    process: child,
    output: () => output,
    async stop() {
      child.kill()
      await child.exited
      rmSync(dir, { recursive: true, force: true })
    },
    async kill() {
      child.kill('SIGKILL')
      await child.exited
    },
    async shutdown() {
      child.kill('SIGTERM')
      await child.exited
    },
  }
}

// Runs the server start-up to its end (for configuration errors): exit code and output.
export async function runServerOnce(iniPath: string, timeoutMs = 15_000) {
  const child = Bun.spawn(['bun', 'src/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, MOVIEPOINT_CONFIG: iniPath },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const timer = setTimeout(() => child.kill(), timeoutMs)
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ])
  clearTimeout(timer)
  return { exitCode, stdout, stderr }
}
