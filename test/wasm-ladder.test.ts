// The reduced ladder of WebAssembly mode and the rule for copying the top rung
// (hls-layout.md, "the ladder"), one case per rule, and the WasmLadder/Transcoder keys.
import { describe, expect, test } from 'bun:test'
import { ConfigError } from '../src/config'
import { parseConfig } from '../src/config/ini'
import type { SourceProbe } from '../src/transcoding/probe'
import { copiedTopRung, planWasmRungs } from '../src/transcoding/wasm/ladder'
import type { VideoFacts } from '../src/transcoding/wasm/probe'
import { withStandardHuffmanTables } from '../src/transcoding/wasm/run'

const probe720: SourceProbe = {
  demuxer: 'matroska',
  durationSec: 20,
  videoSpanSec: 20,
  mediaDurationSec: 20,
  video: {
    index: 0,
    codec: 'h264',
    width: 1280,
    height: 720,
    displayWidth: 1280,
    displayHeight: 720,
    frameRate: 24,
    isInterlaced: false,
    pixelFormat: 'yuv420p',
    bitrateBps: null,
  },
  audio: [],
  subtitles: [],
  startSec: 0,
  keyframes: null,
}

// Keyframes every `everySec`, 2 Mbit/s.
function facts(everySec: number, kbps = 2000): VideoFacts {
  const keyframesSec = Array.from({ length: Math.ceil(20 / everySec) }, (_, i) => i * everySec)
  const bytesPerSec = (kbps * 1000) / 8
  return {
    pixelFormat: 'yuv420p',
    sampleAspectRatio: '1:1',
    fieldOrder: 'progressive',
    isRotated: false,
    startsWithKeyframe: true,
    keyframesSec,
    bytesBeforeKeyframe: keyframesSec.map(sec => sec * bytesPerSec),
    totalBytes: 20 * bytesPerSec,
  }
}

describe('the copied top rung', () => {
  test('a 720p H.264 source with keyframes every 2 s is copied, cut at its keyframes after 2, 6, 12, 18 s', () => {
    const copied = copiedTopRung(probe720, facts(2))
    expect(copied?.cutsSec).toEqual([2, 6, 12, 18])
    expect(copied?.rung).toMatchObject({ name: '720p', width: 1280, height: 720, maxrateKbps: 2000, bufsizeKbps: 0 })
  })

  test('keyframes every 5 s still cut within 9 s; every 10 s do not qualify', () => {
    expect(copiedTopRung(probe720, facts(5))?.cutsSec).toEqual([5, 10, 15])
    expect(copiedTopRung(probe720, facts(10))).toBeNull()
  })

  test('each rule refuses on its own', () => {
    const video = probe720.video
    expect(copiedTopRung({ ...probe720, video: { ...video, codec: 'hevc' } }, facts(2))).toBeNull()
    expect(copiedTopRung(probe720, { ...facts(2), pixelFormat: 'yuv420p10le' })).toBeNull()
    expect(copiedTopRung({ ...probe720, video: { ...video, isInterlaced: true } }, facts(2))).toBeNull()
    expect(
      copiedTopRung({ ...probe720, video: { ...video, width: 1600, height: 900, displayWidth: 1600, displayHeight: 900 } }, facts(2)),
    ).toBeNull()
    expect(copiedTopRung(probe720, { ...facts(2), sampleAspectRatio: '4:3' })).toBeNull()
    expect(copiedTopRung(probe720, { ...facts(2), isRotated: true })).toBeNull()
    expect(copiedTopRung({ ...probe720, video: { ...video, frameRate: 60 } }, facts(2))).toBeNull()
    expect(copiedTopRung(probe720, { ...facts(2), startsWithKeyframe: false })).toBeNull()
    expect(copiedTopRung(probe720, facts(2, 6500))).toBeNull()
  })
})

describe('WasmLadder', () => {
  test('copy,360 gives the copy and 360p; 480,360 two encoded rungs; a copy that fails leaves the numbers', () => {
    const rungs = (steps: Parameters<typeof planWasmRungs>[0], video = facts(2)) => {
      const { copied, encoded } = planWasmRungs(steps, probe720, video)
      return [...(copied ? [`copy ${copied.rung.name}`] : []), ...encoded.map(r => r.name)]
    }
    expect(rungs(['copy', '360'])).toEqual(['copy 720p', '360p'])
    expect(rungs(['480', '360'])).toEqual(['480p', '360p'])
    expect(rungs(['copy', '720', '360'])).toEqual(['copy 720p', '360p'])
    expect(rungs(['copy', '360'], facts(10))).toEqual(['360p'])
    // Nothing left: the lowest rung of the full ladder.
    expect(rungs(['copy'], facts(10))).toEqual(['360p'])
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
