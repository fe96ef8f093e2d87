// The top rung copied from a source that already fits it (issue 13), with real ffmpeg: a
// real server's worker transcodes small generated clips, and the outputs are compared with
// the source packet by packet.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { join } from 'node:path'
import { parseMediaPlaylist } from '../src/hls/playlists'
import { parseMasterPlaylist } from './helpers/playlists'
import type { TestServer } from './helpers/server'
import { ffprobeJson, isFinished, makeSource, mediaRow, type TestDb, waitForJobLine, waitForMedia } from './helpers/transcode'
import { enqueueSource, mediaFolderOf, sourcesFolder, startTranscodeServer, transcodeSource } from './helpers/transcode-server'

setDefaultTimeout(120_000)
const hookTimeoutMs = 120_000

const sources = sourcesFolder('moviepoint-copy-')
let server: TestServer
let db: TestDb
let ownerId: number

beforeAll(async () => {
  ;({ server, db, ownerId } = await startTranscodeServer({ env: { MOVIEPOINT_X264_PRESET: 'superfast' } }))
}, hookTimeoutMs)
afterAll(() => server.stop())

const transcode = (sourcePath: string) => transcodeSource({ server, db, ownerId }, sourcePath)
const folderOf = (mediaId: number) => mediaFolderOf(server, mediaId)
// What the worker said about the top rung of this media.
const topRungLine = (mediaId: number) => new RegExp(`^media ${mediaId}: top rung .*$`, 'm').exec(server.output())?.[0]

async function run(command: string[]): Promise<string> {
  const child = Bun.spawn(command, { stdout: 'pipe', stderr: 'pipe' })
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited])
  if (code !== 0) throw new Error(`${command.join(' ')} failed:\n${stderr.slice(-2000)}`)
  return stdout
}

async function segmentPaths(mediaId: number, name: string): Promise<string[]> {
  const text = await (await fetch(`${server.url}/media/${mediaId}/${name}.m3u8`)).text()
  return parseMediaPlaylist(text).segments.map(segment => join(folderOf(mediaId), segment.uri))
}

// Size and SHA-256 of every H.264 packet, in Annex B form without access unit delimiters:
// the form MPEG-TS carries (the muxer turns MP4/Matroska length prefixes into start codes
// and adds a delimiter before each picture), so equal lines mean the same coded pictures.
async function h264PacketHashes(input: string): Promise<string[]> {
  const text = await run([
    'ffmpeg',
    '-v',
    'error',
    '-i',
    input,
    '-map',
    '0:v',
    '-c',
    'copy',
    '-bsf:v',
    'h264_mp4toannexb,filter_units=remove_types=9',
    '-f',
    'framehash',
    '-hash',
    'sha256',
    '-',
  ])
  return (
    text
      .split('\n')
      .filter(line => line && !line.startsWith('#'))
      // size, hash (side data that follows, such as Matroska's repeated extradata, is no packet data)
      .map(line =>
        line
          .split(',')
          .slice(4, 6)
          .map(field => field.trim())
          .join(' '),
      )
  )
}

// The first packet of a segment: when it is shown, and whether it is a keyframe.
async function firstPacketOf(path: string, stream: 'v' | 'a') {
  const json = (await ffprobeJson(path, [
    '-select_streams',
    stream,
    '-show_entries',
    'packet=pts_time,flags',
    '-read_intervals',
    '%+#1',
  ])) as unknown as { packets: { pts_time: string; flags: string }[] }
  return { atSec: Number(json.packets[0].pts_time), isKeyframe: json.packets[0].flags.startsWith('K') }
}

// Matroska starting at 3 s (its audio 23 ms before its video); MP4 with an edit list
// hiding the B-frames' delay. Both with B-frames and a keyframe every 2 s.
const fitting = [
  { container: 'mkv', startSec: 3 },
  { container: 'mp4', startSec: 0 },
]

describe.each(fitting)('an H.264/AAC $container that fits its top rung (starting at $startSec s)', ({ container, startSec }) => {
  let source: string
  let mediaId: number

  beforeAll(async () => {
    source = await makeSource(join(sources, `phone.${container}`), {
      width: 854,
      height: 480,
      durationSec: 7,
      audio: ['eng'],
      audioChannels: 2,
      pixelFormat: 'yuv420p',
      preset: 'veryfast',
      keyframeSec: 2,
      startSec,
    })
    const result = await transcode(source)
    expect(result.row).toMatchObject({ status: 'ready', error: null })
    mediaId = result.mediaId
  }, hookTimeoutMs)

  test("stream_0 holds the source's own video packets, byte for byte, and the log says it is copied", async () => {
    expect(topRungLine(mediaId)).toBe(`media ${mediaId}: top rung copied from the source; audio en copied`)
    const copied = await h264PacketHashes(`concat:${(await segmentPaths(mediaId, 'stream_0')).join('|')}`)
    const original = await h264PacketHashes(source)
    expect(copied.length).toBe(210)
    expect(copied).toEqual(original)
  })

  test('segment N starts at the same instant in every rung, on a keyframe, and the audio is cut there too', async () => {
    const [top, lower, audio] = await Promise.all(['stream_0', 'stream_1', 'audio_en'].map(name => segmentPaths(mediaId, name)))
    expect(lower.length).toBe(top.length)
    expect(audio.length).toBe(top.length)
    const topStarts = await Promise.all(top.map(path => firstPacketOf(path, 'v')))
    const lowerStarts = await Promise.all(lower.map(path => firstPacketOf(path, 'v')))
    const audioStarts = await Promise.all(audio.map(path => firstPacketOf(path, 'a')))
    expect(lowerStarts).toEqual(topStarts)
    for (const start of topStarts) expect(start.isKeyframe).toBe(true)
    // Cut at the source's keyframes 2 and 6 s after its start (an AAC frame is 23 ms).
    const fromStart = topStarts.map(start => Math.round((start.atSec - topStarts[0].atSec) * 10) / 10)
    expect(fromStart).toEqual([0, 2, 6])
    for (const [i, start] of audioStarts.entries()) expect(Math.abs(start.atSec - topStarts[i].atSec)).toBeLessThan(0.05)
    // Pictures and sound as far apart as in the source: the copy kept its timestamps.
    const [sourceVideo, sourceAudio] = await Promise.all([firstPacketOf(source, 'v'), firstPacketOf(source, 'a')])
    expect(topStarts[0].atSec - audioStarts[0].atSec).toBeCloseTo(sourceVideo.atSec - sourceAudio.atSec, 3)
  })

  test("the audio is the source's AAC as it is (44.1 kHz kept, where an encode makes 48 kHz)", async () => {
    const [first] = await segmentPaths(mediaId, 'audio_en')
    const json = await ffprobeJson(first, ['-show_entries', 'stream=codec_name,profile,channels,sample_rate'])
    expect(json.streams).toEqual([{ codec_name: 'aac', profile: 'LC', channels: 2, sample_rate: '44100' } as never])
  })

  test("the master announces the measured peak and the copied stream's own codec; ffmpeg plays it all over HTTP", async () => {
    const master = parseMasterPlaylist(await (await fetch(`${server.url}/media/${mediaId}/master.m3u8`)).text())
    expect(master.variants.map(v => v.attributes.RESOLUTION)).toEqual(['854x480', '640x360'])
    // veryfast makes High profile; a copy keeps it, level and all.
    expect(master.variants[0].attributes.CODECS).toMatch(/^avc1\.64[0-9a-f]{4},mp4a\.40\.2$/)
    const peakOf = async (name: string) => {
      const text = await (await fetch(`${server.url}/media/${mediaId}/${name}.m3u8`)).text()
      const rates = await Promise.all(
        parseMediaPlaylist(text).segments.map(async s => ((await Bun.file(join(folderOf(mediaId), s.uri)).size) * 8) / s.durationSec),
      )
      return Math.max(...rates.slice(0, -1))
    }
    const peak = (await peakOf('stream_0')) + (await peakOf('audio_en'))
    expect(Number(master.variants[0].attributes.BANDWIDTH)).toBeGreaterThanOrEqual(Math.floor(peak))
    for (const name of ['stream_0', 'stream_1', 'audio_en']) {
      const text = await (await fetch(`${server.url}/media/${mediaId}/${name}.m3u8`)).text()
      expect(text).toContain('#EXT-X-PLAYLIST-TYPE:VOD')
      expect(text).toContain('#EXT-X-TARGETDURATION:6')
    }
    const child = Bun.spawn(
      ['ffmpeg', '-hide_banner', '-nostdin', '-i', `${server.url}/media/${mediaId}/master.m3u8`, '-map', '0', '-f', 'null', '-'],
      { stdout: 'ignore', stderr: 'pipe' },
    )
    const [stderr, code] = await Promise.all([new Response(child.stderr).text(), child.exited])
    expect(code).toBe(0)
    expect(stderr.split(/[\r\n]+/).filter(line => /corrupt|continuity|discontinuity|non-monoton/i.test(line))).toEqual([])
  })
})

describe('sources that do not fit: encoded as before, the reason in the log', () => {
  test('a 10-bit H.264 source', async () => {
    const source = await makeSource(join(sources, 'ten-bit.mkv'), {
      width: 320,
      height: 180,
      durationSec: 2,
      pixelFormat: 'yuv420p10le',
      keyframeSec: 1,
    })
    const { mediaId, row } = await transcode(source)
    expect(row.status).toBe('ready')
    expect(topRungLine(mediaId)).toBe(`media ${mediaId}: top rung encoded: its pixels are yuv420p10le, not 8-bit 4:2:0`)
    const [first] = await segmentPaths(mediaId, 'stream_0')
    const json = await ffprobeJson(first, ['-show_entries', 'stream=codec_name,pix_fmt'])
    expect(json.streams).toEqual([{ codec_name: 'h264', pix_fmt: 'yuv420p' } as never])
  })

  test('keyframes 13 s apart: encoded, cut at 2, 6 and 12 s like any encode', async () => {
    const source = await makeSource(join(sources, 'long-gop.mkv'), {
      width: 320,
      height: 180,
      durationSec: 13,
      audio: [],
      pixelFormat: 'yuv420p',
      keyframeSec: 13,
    })
    const { mediaId, row } = await transcode(source)
    expect(row.status).toBe('ready')
    expect(topRungLine(mediaId)).toBe(
      `media ${mediaId}: top rung encoded: its keyframes are too far apart: a segment would last 13.0 s (at most 10 s)`,
    )
    const text = await (await fetch(`${server.url}/media/${mediaId}/stream_0.m3u8`)).text()
    expect(parseMediaPlaylist(text).segments.map(s => Math.round(s.durationSec))).toEqual([2, 4, 6, 1])
  })
})

describe('watching while a copied rung is made', () => {
  test('EVENT playlists list only finished segments under a target duration planned up front, and the early master bounds the peak', async () => {
    const source = await makeSource(join(sources, 'growing.mp4'), {
      width: 854,
      height: 480,
      durationSec: 20,
      audio: ['eng'],
      audioChannels: 2,
      pixelFormat: 'yuv420p',
      preset: 'veryfast',
      keyframeSec: 4,
    })
    const { mediaId } = await enqueueSource({ server, db, ownerId }, source)
    const served = async (name: string) => (await fetch(`${server.url}/media/${mediaId}/${name}`)).text()
    let early: { master: string; playlists: string[] } | null = null
    const seenSizes = new Map<string, number>()
    for (;;) {
      const row = await mediaRow(db, mediaId)
      if (isFinished(row)) break
      if (row.status === 'processing' && row.isPlayable) {
        early = { master: await served('master.m3u8'), playlists: await Promise.all(['stream_0.m3u8', 'stream_1.m3u8'].map(served)) }
        for (const text of early.playlists)
          for (const { uri } of parseMediaPlaylist(text).segments) seenSizes.set(uri, Bun.file(join(folderOf(mediaId), uri)).size)
        if ((await mediaRow(db, mediaId)).status === 'processing') break
      }
      await Bun.sleep(50)
    }
    expect(early).not.toBeNull()
    for (const text of early!.playlists) {
      expect(text).toContain('#EXT-X-PLAYLIST-TYPE:EVENT')
      expect(text).not.toContain('#EXT-X-ENDLIST')
      // Keyframes every 4 s: cuts at 4, 8, 12 s, then a last segment of 8 s.
      expect(text).toContain('#EXT-X-TARGETDURATION:8')
    }
    expect((await waitForMedia(db, mediaId, isFinished)).status).toBe('ready')
    await waitForJobLine(server, mediaId)
    const final = await served('stream_0.m3u8')
    expect(final).toContain('#EXT-X-TARGETDURATION:8')
    expect(parseMediaPlaylist(final).segments.map(s => Math.round(s.durationSec))).toEqual([4, 4, 4, 8])
    // Whatever was listed early was complete: its size never changed.
    for (const [uri, size] of seenSizes) expect({ uri, size: Bun.file(join(folderOf(mediaId), uri)).size }).toEqual({ uri, size })
    const peakOf = async (name: string) => {
      const { segments } = parseMediaPlaylist(await served(`${name}.m3u8`))
      return Math.max(...segments.map(s => (Bun.file(join(folderOf(mediaId), s.uri)).size * 8) / s.durationSec))
    }
    const earlyBandwidth = Number(parseMasterPlaylist(early!.master).variants[0].attributes.BANDWIDTH)
    expect(earlyBandwidth).toBeGreaterThanOrEqual(Math.ceil((await peakOf('stream_0')) + (await peakOf('audio_en'))))
  })
})
