// ffmpeg's `-progress pipe:1` output: blocks of key=value lines, each ending with
// `progress=continue` (or `progress=end`).

export type ProgressBlock = Record<string, string>

// Feeds chunks of text, calls `onBlock` once per complete block.
export function createProgressParser(onBlock: (block: ProgressBlock) => void) {
  let pending = ''
  let block: ProgressBlock = {}
  return (chunk: string) => {
    pending += chunk
    const lines = pending.split('\n')
    pending = lines.pop() ?? ''
    for (const line of lines) {
      const separator = line.indexOf('=')
      if (separator < 1) continue
      const key = line.slice(0, separator).trim()
      block[key] = line.slice(separator + 1).trim()
      if (key === 'progress') {
        onBlock(block)
        block = {}
      }
    }
  }
}

// Share of the film encoded, 0..1. `out_time_us` is N/A until the first frame is out.
export function progressFraction(block: ProgressBlock, durationSec: number): number | null {
  const outTimeUs = Number(block.out_time_us ?? block.out_time_ms)
  if (!Number.isFinite(outTimeUs) || durationSec <= 0) return null
  return Math.min(1, Math.max(0, outTimeUs / 1e6 / durationSec))
}
