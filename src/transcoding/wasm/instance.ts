// The script of the Bun Worker that holds one WebAssembly ffmpeg (@ffmpeg/core, the
// single-thread build: the multi-thread one fails under Bun, "createObjectURL expects a
// Blob"). It runs one ffmpeg or ffprobe command and ends; the worker process terminates
// it at once when a budget runs out. Host folders are mounted at their own paths
// (host-fs.ts), so the command names the same files as a native one would, and sees no
// other file of the machine.
import { readFileSync } from 'node:fs'
import { createHostFs, type EmscriptenFs } from './host-fs'

declare const self: Worker

export type InstanceCommand = { tool: 'ffmpeg' | 'ffprobe'; args: string[]; folders: string[] }
export type InstanceMessage =
  | { kind: 'stdout' | 'stderr'; line: string }
  | { kind: 'exit'; code: number }
  | { kind: 'crash'; error: string }

type FfmpegCore = {
  FS: EmscriptenFs
  exec: (...args: string[]) => number
  ffprobe: (...args: string[]) => number
  setLogger: (logger: (message: { type: string; message: string }) => void) => void
}

export const coreUrl = new URL(import.meta.resolve('@ffmpeg/core'))

function post(message: InstanceMessage) {
  self.postMessage(message)
}

// Emscripten's worker glue reads `self.location.href` for its base URL; a Bun Worker has none.
function shimLocation() {
  if (!('location' in globalThis)) Object.assign(globalThis, { location: { href: coreUrl.href } })
}

async function loadCore(): Promise<FfmpegCore> {
  shimLocation()
  const { default: createFFmpegCore } = await import(coreUrl.href)
  // Given the bytes, the glue does not fetch the .wasm by URL.
  const wasmBinary = readFileSync(new URL('ffmpeg-core.wasm', coreUrl))
  return createFFmpegCore({ wasmBinary })
}

function mkdirTree(FS: EmscriptenFs, path: string) {
  let at = ''
  for (const part of path.split('/').filter(Boolean)) {
    at += `/${part}`
    try {
      FS.mkdir(at)
    } catch {
      // Already there (/tmp is made by the glue).
    }
  }
}

function run(core: FfmpegCore, command: InstanceCommand): number {
  const hostFs = createHostFs(core.FS)
  for (const folder of command.folders) {
    mkdirTree(core.FS, folder)
    core.FS.mount(hostFs, { root: folder }, folder)
  }
  core.setLogger(({ type, message }) => post({ kind: type === 'stdout' ? 'stdout' : 'stderr', line: message }))
  return command.tool === 'ffprobe' ? core.ffprobe(...command.args) : core.exec(...command.args)
}

// The command may arrive while the core is still loading.
const command = new Promise<InstanceCommand>(resolve => {
  self.onmessage = (event: MessageEvent<InstanceCommand>) => resolve(event.data)
})

try {
  const core = await loadCore()
  post({ kind: 'exit', code: run(core, await command) })
} catch (error) {
  post({ kind: 'crash', error: (error as Error).stack ?? String(error) })
}
