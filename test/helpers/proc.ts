// What a process costs, read from Linux's /proc: its resident memory and its CPU time.
import { readFileSync } from 'node:fs'

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
