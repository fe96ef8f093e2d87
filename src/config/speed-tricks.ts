// The speed tricks of the code base, each of which a benchmark must justify (README,
// "Machinery and its figures"). `MOVIEPOINT_BENCH_WITHOUT=<name>[,<name>]` turns some off,
// for bench/machinery.ts to measure each one with and without in the same run; read here
// and nowhere else, once at start-up. Never set in production: every trick is on by default.
export const speedTricks = ['statement-cache', 'list-cache', 'genres-cache', 'prepared-titles', 'file-server-memos', 'upload-gc'] as const

export type SpeedTrick = (typeof speedTricks)[number]

export const speedTricksSwitch = 'MOVIEPOINT_BENCH_WITHOUT'

export function tricksTurnedOff(value = process.env[speedTricksSwitch] ?? ''): Set<SpeedTrick> {
  const names = value
    .split(',')
    .map(name => name.trim())
    .filter(Boolean)
  const unknown = names.filter(name => !(speedTricks as readonly string[]).includes(name))
  // A misspelt name would measure the trick against itself: refuse it.
  if (unknown.length > 0) throw new Error(`${speedTricksSwitch}: unknown ${unknown.join(', ')} (known: ${speedTricks.join(', ')})`)
  return new Set(names as SpeedTrick[])
}

const turnedOff = tricksTurnedOff()

export function speedTrickOn(name: SpeedTrick): boolean {
  return !turnedOff.has(name)
}
