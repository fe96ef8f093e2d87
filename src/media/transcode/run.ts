// Runs ffmpeg as a child that cannot outlive its worker, keeping the tail of its stderr
// for the job row and reading its progress.
import type { Subprocess } from 'bun'
import { createProgressParser, type ProgressBlock } from './progress'

const stderrKeepChars = 16_384
export const stderrTailLines = 40

// setpriv (util-linux) asks the kernel to SIGKILL ffmpeg when the worker dies, even by
// kill -9: otherwise an orphaned ffmpeg would keep burning CPU on a job another worker redoes.
const setprivPath = process.platform === 'linux' ? Bun.which('setpriv') : null

export type FfmpegRun = {
  pid: number
  // The exit code, or null when a signal ended it.
  exited: Promise<number | null>
  kill: () => void
  stderrTail: () => string
}

export function lastLines(text: string, count = stderrTailLines): string {
  return text.split('\n').filter((line) => line.trim() !== '').slice(-count).join('\n')
}

async function readText(stream: ReadableStream<Uint8Array>, onText: (text: string) => void) {
  const reader = stream.getReader()
  const decoder = new TextDecoder()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return
    onText(decoder.decode(value, { stream: true }))
  }
}

export function startFfmpeg(options: {
  ffmpegPath: string
  args: string[]
  onProgress?: (block: ProgressBlock) => void
}): FfmpegRun {
  const command = [options.ffmpegPath, ...options.args]
  const child: Subprocess<'ignore', 'pipe', 'pipe'> = Bun.spawn(
    setprivPath ? [setprivPath, '--pdeathsig', 'KILL', '--', ...command] : command,
    { stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' },
  )
  const stderr = { text: '' }
  const feedProgress = createProgressParser(options.onProgress ?? (() => {}))
  const reading = Promise.all([
    readText(child.stderr, (text) => {
      stderr.text = (stderr.text + text).slice(-stderrKeepChars)
    }),
    readText(child.stdout, feedProgress),
  ]).catch(() => {})
  const exited = child.exited.then(async (code) => {
    await reading
    return child.signalCode ? null : code
  })
  return {
    pid: child.pid,
    exited,
    kill: () => child.kill('SIGKILL'),
    stderrTail: () => lastLines(stderr.text),
  }
}
