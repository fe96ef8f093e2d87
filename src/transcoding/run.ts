// Runs ffmpeg as a child that cannot outlive its worker nor its limits (bounded-child.ts),
// keeping the tail of its stderr for the job row and reading its progress.
import { type ChildLimits, type LimitHit, readText, spawnBounded } from './bounded-child'
import { createProgressParser, type ProgressBlock } from './progress'

const stderrKeepChars = 16_384
export const stderrTailLines = 40

export type FfmpegRun = {
  pid: number
  // The exit code, or null when a signal ended it.
  exited: Promise<number | null>
  kill: () => void
  stderrTail: () => string
  // The limit that stopped it, if one did: the file, not chance, made it fail.
  limitHit: () => LimitHit | null
  peakRssBytes: () => number
}

export function lastLines(text: string, count = stderrTailLines): string {
  return text
    .split('\n')
    .filter(line => line.trim() !== '')
    .slice(-count)
    .join('\n')
}

export function startFfmpeg(options: {
  ffmpegPath: string
  args: string[]
  limits: ChildLimits
  onProgress?: (block: ProgressBlock) => void
}): FfmpegRun {
  const bounded = spawnBounded({ command: [options.ffmpegPath, ...options.args], limits: options.limits })
  const { child } = bounded
  const stderr = { text: '' }
  const feedProgress = createProgressParser(options.onProgress ?? (() => {}))
  const reading = Promise.all([
    readText(child.stderr, text => {
      stderr.text = (stderr.text + text).slice(-stderrKeepChars)
    }),
    readText(child.stdout, feedProgress),
  ]).catch(() => {})
  const exited = child.exited.then(async code => {
    await reading
    return child.signalCode ? null : code
  })
  return {
    pid: child.pid,
    exited,
    kill: bounded.kill,
    stderrTail: () => lastLines(stderr.text),
    limitHit: bounded.limitHit,
    peakRssBytes: bounded.peakRssBytes,
  }
}
