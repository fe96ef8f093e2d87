// Runs one ffmpeg or ffprobe command in a fresh WebAssembly instance (instance.ts, in a Bun
// Worker) under the same budgets as a native child (bounded-child.ts): wall-clock time
// and memory. The instance is single-threaded, so its CPU time cannot pass its wall-clock
// time and the time limit bounds both. Memory is the growth of the worker process's
// resident size since the instance started (its WebAssembly heap is in this process), read
// from /proc ten times a second. Over budget, the instance is ended with worker.terminate():
// WebAssembly cannot be interrupted from inside, but a terminated Worker stops at once.
import { readFileSync } from 'node:fs'
import type { ChildLimits, LimitHit } from '../bounded-child'
import { createProgressParser, type ProgressBlock } from '../progress'
import { type FfmpegRun, lastLines } from '../run'
import type { InstanceCommand, InstanceMessage } from './instance'

const sampleIntervalMs = 100
const stderrKeepChars = 16_384
const instanceScript = new URL('./instance.ts', import.meta.url).href

function residentBytes(): number {
  try {
    return Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) * 1024
  } catch {
    return process.memoryUsage().rss
  }
}

export type WasmRunOptions = InstanceCommand & {
  limits: ChildLimits
  onStdoutLine?: (line: string) => void
}

export type WasmRun = FfmpegRun & { stdoutText: () => string }

// `exited` resolves with ffmpeg's exit code, or null when the instance was terminated
// (a budget, kill()) or crashed. ffprobe's own code is not reliable in this build (-1 on
// success too): its caller judges by what it printed.
export function startWasmTool(options: WasmRunOptions): WasmRun {
  const worker = new Worker(instanceScript)
  const stderr = { text: '' }
  const stdout = { text: '' }
  let limitHit: LimitHit | null = null
  let peakBytes = 0
  let settle: (code: number | null) => void = () => {}
  const exited = new Promise<number | null>(resolve => (settle = resolve))
  const baselineBytes = residentBytes()
  const end = (code: number | null) => {
    clearInterval(sampler)
    clearTimeout(deadline)
    worker.terminate()
    settle(code)
  }
  const stop = (hit: LimitHit | null) => {
    limitHit ??= hit
    end(null)
  }
  const sampler = setInterval(() => {
    const grownBytes = residentBytes() - baselineBytes
    peakBytes = Math.max(peakBytes, grownBytes)
    if (grownBytes > options.limits.memoryBytes) stop('memory')
  }, sampleIntervalMs)
  const deadline = setTimeout(() => stop('time'), options.limits.wallSec * 1000)
  worker.onmessage = (event: MessageEvent<InstanceMessage>) => {
    const message = event.data
    switch (message.kind) {
      case 'stdout':
        if (options.onStdoutLine) options.onStdoutLine(message.line)
        else stdout.text += `${message.line}\n`
        return
      case 'stderr':
        stderr.text = `${stderr.text}${message.line}\n`.slice(-stderrKeepChars)
        return
      case 'exit':
        return end(message.code)
      case 'crash':
        stderr.text += `${message.error}\n`
        return end(null)
    }
  }
  worker.onerror = event => {
    stderr.text += `${event.message}\n`
    end(null)
  }
  const { tool, args, folders } = options
  worker.postMessage({ tool, args, folders } satisfies InstanceCommand)
  return {
    pid: process.pid,
    exited,
    kill: () => stop(null),
    stderrTail: () => lastLines(stderr.text),
    stdoutText: () => stdout.text,
    limitHit: () => limitHit,
    peakRssBytes: () => peakBytes,
  }
}

// The build's JPEG encoder crashes (out of bounds) or spins with its default optimal
// Huffman tables on detailed pictures (a 720p poster at -q:v 2 to 5, one time in three);
// with the standard tables it does not. Every JPEG output (poster, preview sheets) gets
// them: the option goes just before the output's file name.
export function withStandardHuffmanTables(args: string[]): string[] {
  return args.flatMap((arg, i) => (arg.endsWith('.jpg') && args[i - 1] !== '-i' ? ['-huffman', 'default', arg] : [arg]))
}

// An ffmpeg command in WebAssembly, as run.ts's startFfmpeg runs a native one: its
// `-progress pipe:1` blocks are read the same way.
export function startWasmFfmpeg(options: {
  args: string[]
  folders: string[]
  limits: ChildLimits
  onProgress?: (block: ProgressBlock) => void
}): FfmpegRun {
  const feedProgress = createProgressParser(options.onProgress ?? (() => {}))
  return startWasmTool({
    tool: 'ffmpeg',
    args: withStandardHuffmanTables(options.args),
    folders: options.folders,
    limits: options.limits,
    onStdoutLine: line => feedProgress(`${line}\n`),
  })
}
