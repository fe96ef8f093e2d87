// Shared by the upload benchmarks: a source file of random bytes, the peak memory of a
// server while it takes uploads, and clearing what the uploads stored.
import { readdirSync, rmSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { cpuSeconds, rssBytes } from '../test/helpers/proc'

const MiB = 1024 * 1024

export function makeSourceFile(dir: string, bytes: number): string {
  const path = join(dir, 'source.bin')
  const block = randomBytes(8 * MiB)
  const handle = Bun.file(path).writer()
  for (let written = 0; written < bytes; written += block.length) handle.write(block.subarray(0, Math.min(block.length, bytes - written)))
  handle.end()
  return path
}

// Peak resident memory of a process while `work` runs, sampled every 20 ms, and its CPU time.
export async function withPeakRss<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; peakRssMb: number; cpuSec: number }> {
  const cpuBefore = cpuSeconds(pid)
  let peakBytes = 0
  const sample = () => {
    peakBytes = Math.max(peakBytes, rssBytes(pid))
  }
  const timer = setInterval(sample, 20)
  try {
    const result = await work()
    sample()
    return { result, peakRssMb: peakBytes / MiB, cpuSec: cpuSeconds(pid) - cpuBefore }
  } finally {
    clearInterval(timer)
  }
}

// The media folders and unfinished uploads in a MediaDataPath (the database stays).
export function clearMediaFolders(folder: string) {
  for (const name of readdirSync(folder))
    if (/^(\d+|upload-\d+)$/.test(name)) rmSync(join(folder, name), { recursive: true, force: true })
}
