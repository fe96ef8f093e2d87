// The reduced ladder of WebAssembly mode: its copied top rung is native mode's decision
// (copy.ts, one case per rule, and the plan's topRung says it), then the WasmLadder steps;
// and the WasmLadder/Transcoder keys.
import { describe, expect, test } from 'bun:test'
import { ConfigError } from '../src/config'
import { parseConfig } from '../src/config/ini'
import { topRungCopyPlan } from '../src/transcoding/copy'
import type { SourceProbe } from '../src/transcoding/probe'
import { planWasmTranscode } from '../src/transcoding/wasm/ladder'
import { withStandardHuffmanTables } from '../src/transcoding/wasm/run'
import { every, sourceOf, type VideoOptions } from './helpers/scanned-probe'

const video720 = { width: 1280, height: 720, fps: 24 }

// 20 s of 720p at 24 fps, a keyframe every `everySec`, at `kbps` (2 Mbit/s by default).
function source720(everySec: number, options: { kbps?: number; video?: Partial<VideoOptions>; skipFirst?: boolean } = {}) {
  const keyframesSec = every(everySec, 20).slice(options.skipFirst ? 1 : 0)
  const frameBytes = Math.round(((options.kbps ?? 2000) * 1000) / 8 / video720.fps)
  return sourceOf({ durationSec: 20, keyframesSec, frameBytes, video: { ...video720, ...options.video } })
}

const planOf = (probe: SourceProbe, steps: Parameters<typeof planWasmTranscode>[0] = ['copy', '360']) =>
  planWasmTranscode(steps, '/tmp/source.mkv', probe)

// Half a frame before each keyframe, so that the frame on it is taken (copy.ts).
const justBefore = (keyframesSec: number[]) => keyframesSec.map(sec => Math.round((sec - 0.5 / video720.fps) * 1000) / 1000)

describe('the copied top rung', () => {
  test('a 720p H.264 source with keyframes every 2 s is copied, cut at its keyframes after 2, 6, 12, 18 s', () => {
    const plan = planOf(source720(2))
    expect(plan.topRung.kind).toBe('copy')
    expect(plan.cutsSec).toEqual(justBefore([2, 6, 12, 18]))
    expect(plan.rungs[0]).toMatchObject({ name: '720p', width: 1280, height: 720 })
  })

  test('keyframes every 5 s still cut within 10 s; every 12 s do not qualify', () => {
    expect(planOf(source720(5)).cutsSec).toEqual(justBefore([5, 10, 15]))
    expect(planOf(source720(12)).topRung.kind).toBe('encode')
  })

  test("each rule refuses on its own, and the plan's topRung says so with native mode's reason", () => {
    const refusals = [
      source720(2, { video: { codec: 'hevc' } }),
      source720(2, { video: { pixFmt: 'yuv420p10le' } }),
      source720(2, { video: { fieldOrder: 'tt' } }),
      source720(2, { video: { width: 1600, height: 900 } }),
      source720(2, { video: { sar: '4:3' } }),
      source720(2, { video: { rotation: 180 } }),
      source720(2, { video: { fps: 60 } }),
      source720(2, { skipFirst: true }),
      source720(2, { kbps: 6500 }),
    ]
    for (const probe of refusals) {
      const plan = planOf(probe)
      expect(plan.topRung).toEqual(topRungCopyPlan(probe))
      expect(plan.topRung.kind).toBe('encode')
      expect(plan.rungs.map(rung => rung.name)).toEqual(['360p'])
    }
  })
})

describe('WasmLadder', () => {
  test('copy,360 gives the copy and 360p; 480,360 two encoded rungs; a copy that fails leaves the numbers', () => {
    const rungs = (steps: Parameters<typeof planWasmTranscode>[0], probe = source720(2)) => {
      const plan = planOf(probe, steps)
      return plan.rungs.map((rung, i) => (i === 0 && plan.topRung.kind === 'copy' ? `copy ${rung.name}` : rung.name))
    }
    expect(rungs(['copy', '360'])).toEqual(['copy 720p', '360p'])
    expect(rungs(['480', '360'])).toEqual(['480p', '360p'])
    expect(rungs(['copy', '720', '360'])).toEqual(['copy 720p', '360p'])
    expect(rungs(['copy', '360'], source720(12))).toEqual(['360p'])
    // Nothing left: the lowest rung of the full ladder.
    expect(rungs(['copy'], source720(12))).toEqual(['360p'])
    expect(rungs(['1080'])).toEqual(['360p'])
  })

  test('server.ini: the default, any order, and an unknown step named', () => {
    const parse = (text: string) => parseConfig(`MediaDataPath=/tmp/moviepoint-wasm-ladder\n${text}`, '/tmp/server.ini')
    expect(parse('')).toMatchObject({ transcoder: 'auto', wasmLadder: ['copy', '360'] })
    expect(parse('WasmLadder=360p, 480\nTranscoder=wasm')).toMatchObject({ transcoder: 'wasm', wasmLadder: ['480', '360'] })
    expect(() => parse('WasmLadder=copy,240')).toThrow(new ConfigError('WasmLadder', '"240" is not one of copy, 1080, 720, 480, 360'))
    expect(() => parse('Transcoder=gpu')).toThrow(ConfigError)
  })
})

test('JPEG outputs of a WebAssembly run get standard Huffman tables, inputs are left alone', () => {
  expect(withStandardHuffmanTables(['-i', 'file:/m/poster.jpg', '-q:v', '3', '/m/work/poster.jpg'])).toEqual([
    '-i',
    'file:/m/poster.jpg',
    '-q:v',
    '3',
    '-huffman',
    'default',
    '/m/work/poster.jpg',
  ])
})
