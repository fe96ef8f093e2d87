// Every ffmpeg and ffprobe an upload makes run is bounded: resident memory, wall-clock
// time and CPU time. A file built to exhaust the machine (a thousand streams, a day-long
// gap between two frames) then costs at most what these limits allow, and the job fails
// with the limit it hit instead of being tried again.
//
// Memory is watched, not set as RLIMIT_AS/RLIMIT_DATA: a normal 1080p ladder reserves far
// more address space than it uses (measured on 2 cores: 1.3 GB virtual, 0.9 GB data, 0.5 GB
// resident; with 48 x264 threads 6.8 GB virtual for 2.4 GB resident), so a limit on
// virtual memory would stop honest work on a big machine. The resident size of the
// process and its children is read from /proc ten times a second instead, and the run
// killed once it is over. CPU time is watched the same way; RLIMIT_CPU (prlimit) is the
// kernel's backstop should the worker itself stall.
import { readdirSync, readFileSync } from 'node:fs'
import type { Subprocess } from 'bun'
import type { TranscodeLimits } from '../config'
import { formatDuration, MediaRejected } from './failure'

export type ChildLimits = { memoryBytes: number; wallSec: number; cpuSec: number }
export type LimitHit = 'memory' | 'time' | 'cpu'

export type BoundedChild = {
  child: Subprocess<'ignore', 'pipe', 'pipe'>
  pid: number
  // The limit that stopped the run, if one did.
  limitHit: () => LimitHit | null
  peakRssBytes: () => number
  kill: () => void
}

const sampleIntervalMs = 100
// Kernel backstop: this much CPU time past the budget, RLIMIT_CPU kills the process.
const cpuBackstopSec = 30

const isLinux = process.platform === 'linux'
// setpriv asks the kernel to SIGKILL the child when the worker dies, even by kill -9:
// otherwise an orphaned ffmpeg would keep burning CPU on a job another worker redoes.
const setprivPath = isLinux ? Bun.which('setpriv') : null
const prlimitPath = isLinux ? Bun.which('prlimit') : null
const clockTicksPerSec = 100

function wrap(command: string[], limits: ChildLimits): string[] {
  const cpuLimit = Math.ceil(limits.cpuSec + cpuBackstopSec)
  const limited = prlimitPath ? [prlimitPath, `--cpu=${cpuLimit}:${cpuLimit}`, '--', ...command] : command
  return setprivPath ? [setprivPath, '--pdeathsig', 'KILL', '--', ...limited] : limited
}

export function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap(tid =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    )
  } catch {
    return []
  }
}

type Usage = { rssBytes: number; cpuSec: number }

// Resident size (VmRSS) and CPU time (utime + stime) of one process; null once it is gone.
function usageOf(pid: number): Usage | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0)
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name, which may itself hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ticks = Number(fields[11]) + Number(fields[12])
    return { rssBytes: rssKb * 1024, cpuSec: ticks / clockTicksPerSec }
  } catch {
    return null
  }
}

export function descendantsOf(pid: number): number[] {
  return childrenOf(pid).flatMap(child => [child, ...descendantsOf(child)])
}

// The process and everything it started: a grandchild must not live on holding its pipes.
function killTree(child: Subprocess) {
  const descendants = isLinux ? descendantsOf(child.pid) : []
  child.kill('SIGKILL')
  for (const pid of descendants) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {}
  }
}

// The process and everything it started, summed.
export function treeUsage(pid: number): Usage | null {
  const own = usageOf(pid)
  if (!own) return null
  for (const child of childrenOf(pid)) {
    const usage = treeUsage(child)
    if (usage) {
      own.rssBytes += usage.rssBytes
      own.cpuSec += usage.cpuSec
    }
  }
  return own
}

// Hands each decoded chunk of a child's output to `onText` until the stream ends.
export async function readText(stream: ReadableStream<Uint8Array>, onText: (text: string) => void) {
  const reader = stream.getReader()
  const decoder = new TextDecoder()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return
    onText(decoder.decode(value, { stream: true }))
  }
}

// Starts `command` with stdout and stderr piped (the caller must read both).
export function spawnBounded(options: { command: string[]; limits: ChildLimits }): BoundedChild {
  const { limits } = options
  const child = Bun.spawn(wrap(options.command, limits), { stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' })
  let limitHit: LimitHit | null = null
  let peakRssBytes = 0
  const stop = (hit: LimitHit) => {
    limitHit ??= hit
    killTree(child)
  }
  const sample = () => {
    const usage = isLinux ? treeUsage(child.pid) : null
    if (!usage) return
    peakRssBytes = Math.max(peakRssBytes, usage.rssBytes)
    if (usage.rssBytes > limits.memoryBytes) stop('memory')
    else if (usage.cpuSec > limits.cpuSec) stop('cpu')
  }
  const sampler = setInterval(sample, sampleIntervalMs)
  const deadline = setTimeout(() => stop('time'), limits.wallSec * 1000)
  child.exited.then(() => {
    clearInterval(sampler)
    clearTimeout(deadline)
    // Killed by the kernel's backstop, or by SIGXCPU at it.
    if (!limitHit && (child.signalCode === 'SIGXCPU' || child.signalCode === 'SIGKILL') && prlimitPath) {
      const cpuSec = Number(child.resourceUsage()?.cpuTime.total ?? 0) / 1e6
      if (cpuSec >= limits.cpuSec) limitHit = 'cpu'
    }
  })
  return {
    child,
    pid: child.pid,
    limitHit: () => limitHit,
    peakRssBytes: () => peakRssBytes,
    kill: () => killTree(child),
  }
}

// What the runs of one video may use: wall-clock and CPU time proportional to its length.
export function limitsForVideo(limits: TranscodeLimits, durationSec: number): ChildLimits {
  const timeSec = Math.ceil(limits.timeFactor * durationSec + limits.timeExtraSec)
  return { memoryBytes: limits.memoryBytes, wallSec: timeSec, cpuSec: timeSec }
}

// The failure to record when a run was stopped by one of its limits (not retried).
export function rejectionForLimit(hit: LimitHit, limits: ChildLimits): MediaRejected {
  if (hit === 'memory') return new MediaRejected('memory_limit', { limitMiB: Math.round(limits.memoryBytes / 2 ** 20) })
  if (hit === 'cpu') return new MediaRejected('cpu_limit', { limit: formatDuration(limits.cpuSec) })
  return new MediaRejected('time_limit', { limit: formatDuration(limits.wallSec) })
}
