// The checks test/transcode.test.ts makes on native output, for any transcoder's output
// (test/wasm-transcode.test.ts holds WebAssembly mode to the same): served playlists,
// segment bit rates, what a strict player and an HLS client read, continuity counters.
import { expect } from 'bun:test'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { parseMediaPlaylist } from '../../src/hls/playlists'
import type { TestServer } from './server'
import { ffprobeJson } from './transcode'

// A player's whole read: ffmpeg decodes every rendition the master lists, without a complaint.
export async function playsThrough(url: string) {
  const ffmpeg = Bun.spawn(['ffmpeg', '-v', 'error', '-i', url, '-map', '0', '-f', 'null', '-'], { stdout: 'ignore', stderr: 'pipe' })
  const [stderr, code] = await Promise.all([new Response(ffmpeg.stderr).text(), ffmpeg.exited])
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
}

export const servedText = async (server: TestServer, mediaId: number, name: string) => {
  const answer = await fetch(`${server.url}/media/${mediaId}/${name}`)
  expect({ name, status: answer.status }).toEqual({ name, status: 200 })
  return answer.text()
}

export type Measured = { uri: string; durationSec: number; sizeBytes: number }

// A served media playlist: finished, and every segment it lists is on disk.
export async function finishedPlaylistOf(server: TestServer, mediaId: number, name: string): Promise<Measured[]> {
  const text = await servedText(server, mediaId, name)
  expect(text).toContain('#EXT-X-PLAYLIST-TYPE:VOD')
  expect(text.trimEnd().endsWith('#EXT-X-ENDLIST')).toBe(true)
  const target = Number(/#EXT-X-TARGETDURATION:(\d+)/.exec(text)?.[1])
  const { segments } = parseMediaPlaylist(text)
  expect(segments.length).toBeGreaterThan(0)
  return segments.map(segment => {
    expect(segment.uri).toMatch(/^(stream_\d+|audio_[a-z-0-9]+)\/data\d{4}\.ts$/)
    expect(Math.round(segment.durationSec)).toBeLessThanOrEqual(target)
    return { ...segment, sizeBytes: statSync(join(server.mediaDir, String(mediaId), segment.uri)).size }
  })
}

export const totalSec = (segments: Measured[]) => segments.reduce((sum, s) => sum + s.durationSec, 0)
export const averageBps = (segments: Measured[]) => segments.reduce((sum, s) => sum + s.sizeBytes * 8, 0) / totalSec(segments)
// The peak segment bit rate of the files on disk: the densest segment, the short first one
// included (a last one shorter than that, a keyframe or so, is left out).
export const peakBps = (segments: Measured[]) =>
  Math.max(...segments.filter((s, i) => i < segments.length - 1 || s.durationSec >= 2).map(s => (s.sizeBytes * 8) / s.durationSec))

// What a strict player reads through the master over HTTP: `ffmpeg -map 0` decodes every
// rendition; its complaints about corrupt packets or broken continuity, line by line.
export async function playerComplaintsOf(server: TestServer, mediaId: number): Promise<string[]> {
  const child = Bun.spawn(
    ['ffmpeg', '-hide_banner', '-nostdin', '-i', `${server.url}/media/${mediaId}/master.m3u8`, '-map', '0', '-f', 'null', '-'],
    { stdout: 'ignore', stderr: 'pipe' },
  )
  const [stderr, code] = await Promise.all([new Response(child.stderr).text(), child.exited])
  expect(code).toBe(0)
  return stderr.split(/[\r\n]+/).filter(line => /corrupt|continuity|discontinuity/i.test(line))
}

const pidAt = (data: Buffer, at: number) => ((data[at + 1] & 0x1f) << 8) | data[at + 2]
export const firstPids = (path: string) => [0, 1, 2].map(n => pidAt(readFileSync(path), n * 188))

// MPEG-TS continuity counters (4 bits per PID, one step per packet with payload) read
// across the segment files of one rendition in order: where one does not follow on.
export function continuityBreaks(paths: string[]): string[] {
  const last = new Map<number, number>()
  const breaks: string[] = []
  for (const path of paths) {
    const data = readFileSync(path)
    for (let at = 0; at + 188 <= data.length; at += 188) {
      const pid = pidAt(data, at)
      const hasPayload = (data[at + 3] & 0x10) !== 0
      const counter = data[at + 3] & 0x0f
      if (!hasPayload || pid === 0x1fff) continue
      const before = last.get(pid)
      if (before !== undefined && counter !== (before + 1) % 16) breaks.push(`${path} pid ${pid}: ${before} then ${counter}`)
      last.set(pid, counter)
    }
  }
  return breaks
}

// What ffprobe says the rung's H.264 is, as a CODECS string: avc1.PPCCLL.
export type SegmentCodec = { profile: string; level: number; width: number; height: number }
export async function codecOfSegment(path: string): Promise<SegmentCodec> {
  const json = await ffprobeJson(path, ['-select_streams', 'v', '-show_entries', 'stream=profile,level,width,height'])
  // The four entries asked for.
  return json.streams[0] as SegmentCodec
}
