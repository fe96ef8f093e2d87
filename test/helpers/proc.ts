// What a process costs, read from Linux's /proc: its resident memory, its CPU time, and the
// peak memory of the processes a server's workers start.
import { readFileSync } from 'node:fs'
import { childrenOf, descendantsOf } from '../../src/transcoding/bounded-child'

export function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return Number(match?.[1] ?? 0) * 1024
}

// User + system CPU time of the process (its threads included), in seconds. The fields
// after the command name are counted from its closing parenthesis, since the name may
// hold spaces; utime and stime are fields 14 and 15 of stat(5), in clock ticks (100/s).
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

// Peak memory of what a server's workers start (ffprobe, ffmpeg), read while it runs: the
// sum of the live children's high-water marks (VmHWM), sampled every 50 ms.
function highWaterBytes(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    return Number(/^VmHWM:\s+(\d+)/m.exec(status)?.[1] ?? 0) * 1024
  } catch {
    return 0
  }
}

// `serverPid` → its worker processes → everything they started.
export function watchWorkerChildren(serverPid: number) {
  let peakBytes = 0
  const sample = () => {
    const workers = childrenOf(serverPid)
    const total = workers.flatMap(descendantsOf).reduce((sum, pid) => sum + highWaterBytes(pid), 0)
    peakBytes = Math.max(peakBytes, total)
  }
  const timer = setInterval(sample, 50)
  return {
    peakBytes: () => peakBytes,
    stop: () => clearInterval(timer),
  }
}
