// The server's transcoding workers: `Workers` processes of workers/transcode.ts with the
// same configuration, each restarted if it dies, all stopped when the server stops. They
// are processes, not threads, so that a crashing ffmpeg or a leak in one job can never take
// the web server down, and so that the same program runs alone on other machines.
import { join } from 'node:path'
import type { Subprocess } from 'bun'
import type { Config } from '../config'
import { onJobQueued } from './jobs'

const workerScript = join(import.meta.dir, '../../workers/transcode.ts')
const stopGraceMs = 5000

export type WorkerPool = { stop: () => Promise<void> }

// Sent to a worker when a job is queued: look now instead of at the next poll.
export const wakeMessage = 'job-queued'

function wake(child: Subprocess) {
  try {
    child.send(wakeMessage)
  } catch {
    // Exiting already; its replacement polls on start.
  }
}

// A worker that keeps dying at start (bad ffmpeg path, unreachable database) is restarted
// less and less often instead of in a tight loop.
function restartDelayMs(crashesInARow: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, crashesInARow - 1))
}

export function startTranscodeWorkers(config: Config): WorkerPool {
  const children = new Set<Subprocess>()
  let isStopping = false

  const spawnWorker = (slot: number, crashesInARow: number) => {
    const startedMs = Date.now()
    const child = Bun.spawn([process.execPath, workerScript], {
      env: { ...process.env, MOVIEPOINT_CONFIG: config.file, MOVIEPOINT_WORKER_PARENT_PID: String(process.pid) },
      stdin: 'ignore',
      stdout: 'inherit',
      stderr: 'inherit',
      // Only ever carries `wakeMessage`, from here to the worker.
      ipc: () => {},
    })
    children.add(child)
    child.exited.then(code => {
      children.delete(child)
      if (isStopping) return
      const crashes = Date.now() - startedMs < 60_000 ? crashesInARow + 1 : 1
      const delayMs = restartDelayMs(crashes)
      console.warn(`transcoding worker ${slot} exited (${child.signalCode ?? code}); restarting in ${delayMs / 1000} s`)
      setTimeout(() => !isStopping && spawnWorker(slot, crashes), delayMs)
    })
  }

  for (let slot = 1; slot <= config.workers; slot++) spawnWorker(slot, 0)
  const stopWaking = onJobQueued(() => {
    for (const child of children) wake(child)
  })
  // Last resort when the server exits without stop(): no worker outlives it.
  process.on('exit', () => {
    for (const child of children) child.kill('SIGKILL')
  })

  return {
    async stop() {
      isStopping = true
      stopWaking()
      const running = [...children]
      for (const child of running) child.kill('SIGTERM')
      const timer = setTimeout(() => {
        for (const child of running) child.kill('SIGKILL')
      }, stopGraceMs)
      await Promise.all(running.map(child => child.exited))
      clearTimeout(timer)
    },
  }
}
