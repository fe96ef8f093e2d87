// Peak memory of what a server's workers start (ffprobe, ffmpeg), read from /proc while
// it runs: the sum of the live children's high-water marks (VmHWM), sampled every 50 ms.
import { readdirSync, readFileSync } from 'node:fs'

function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    )
  } catch {
    return []
  }
}

function descendantsOf(pid: number): number[] {
  return childrenOf(pid).flatMap((child) => [child, ...descendantsOf(child)])
}

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
