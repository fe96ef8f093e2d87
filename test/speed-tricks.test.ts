// The switch that turns speed tricks off for bench/machinery.ts (src/config/speed-tricks.ts):
// every trick is on unless named, and a misspelt name is refused rather than measuring a
// trick against itself.
import { expect, test } from 'bun:test'
import { speedTricks, tricksTurnedOff } from '../src/config/speed-tricks'

test('no value turns nothing off; named tricks, comma-separated, are turned off', () => {
  expect(tricksTurnedOff('')).toEqual(new Set())
  expect(tricksTurnedOff('list-cache, upload-gc')).toEqual(new Set(['list-cache', 'upload-gc']))
  expect(tricksTurnedOff(speedTricks.join(','))).toEqual(new Set(speedTricks))
})

test('an unknown name is refused, naming the known ones', () => {
  expect(() => tricksTurnedOff('list-cache,listcache')).toThrow(/unknown listcache \(known: statement-cache, list-cache/)
})
