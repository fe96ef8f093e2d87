// Shared by the benchmarks: the median of a figure's rounds, and the machine's load printed
// beside each round (the machine is shared, so a slow round may be someone else's work).
import { readFileSync } from 'node:fs'

// The middle value; for an even count, the mean of the two middle ones.
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length / 2
  return Number.isInteger(middle) ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[Math.floor(middle)]
}

// The 1, 5 and 15 minute load averages, as /proc/loadavg gives them.
export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
}
