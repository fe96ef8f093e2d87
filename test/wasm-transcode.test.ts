// WebAssembly mode (issue 13): a server whose worker finds no ffmpeg (FFmpegPath points
// nowhere, PATH holds only bun) transcodes with @ffmpeg/core, and its output passes the
// checks native output passes (helpers/hls-checks.ts) and plays in Chromium. The sources
// are made with native ffmpeg by the test process before the server starts.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import {
  averageBps,
  codecOfSegment,
  continuityBreaks,
  finishedPlaylistOf,
  firstPids,
  peakBps,
  playerComplaintsOf,
  servedText,
  totalSec,
} from './helpers/hls-checks'
import { parseMasterPlaylist } from './helpers/playlists'
import { ffprobeJson, isFinished, jobRows, keyframeTimes, makeSource, mediaRow, pidOfLeaseOwner, waitForMedia } from './helpers/transcode'
import { enqueueSource, mediaFolderOf, startTranscodeServer, type TranscodeServer, transcodeSource } from './helpers/transcode-server'
import { launchBrowser, openTab, unexpectedProblems } from './pages/browser'
import { playedPast, pressPlay } from './pages/player-ui'

// WebAssembly encodes about four times slower than native, on a 2-core machine shared with others.
setDefaultTimeout(180_000)
const hookTimeoutMs = 180_000

const dir = mkdtempSync(join(tmpdir(), 'moviepoint-wasm-'))
// The server and its worker find bun on PATH and nothing else: no ffmpeg, no ffprobe.
const binDir = join(dir, 'bin')
const noFfmpeg = {
  ini: { Workers: 1, FFmpegPath: join(dir, 'nowhere/ffmpeg'), FFprobePath: join(dir, 'nowhere/ffprobe') },
  env: { PATH: binDir },
}

async function serve(ini: Record<string, string | number> = {}): Promise<TranscodeServer> {
  return startTranscodeServer({ ini: { ...noFfmpeg.ini, ...ini }, env: noFfmpeg.env })
}

// The decoded pictures of a file's video, one hash per frame (timestamps left out).
async function frameHashes(path: string): Promise<string[]> {
  const child = Bun.spawn(['ffmpeg', '-v', 'error', '-i', path, '-map', '0:v', '-f', 'framemd5', '-'], { stdout: 'pipe' })
  const text = await new Response(child.stdout).text()
  expect(await child.exited).toBe(0)
  return text
    .split('\n')
    .filter(line => line && !line.startsWith('#'))
    .map(line => line.split(',').pop()?.trim() ?? '')
}

let source: string

beforeAll(async () => {
  mkdirSync(binDir)
  symlinkSync(process.execPath, join(binDir, 'bun'))
  // 720p at 24 fps, a keyframe every 2 s, a modest bit rate: it qualifies for the copied top rung.
  source = await makeSource(join(dir, 'film.mkv'), {
    width: 1280,
    height: 720,
    durationSec: 6,
    fps: 24,
    keyframeInterval: 48,
    pixelFormat: 'yuv420p',
    videoBitrate: '2000k',
    audio: ['eng', 'rus'],
    subtitles: { rus: '1\n00:00:01,000 --> 00:00:02,500\nПривет, <i>мир</i>\n\n2\n00:00:04,000 --> 00:00:05,000\nПока\n\n' },
  })
}, hookTimeoutMs)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('a worker without native ffmpeg', () => {
  let at: TranscodeServer
  let mediaId: number
  let titleId: number
  let master: ReturnType<typeof parseMasterPlaylist>
  const folderOf = () => mediaFolderOf(at.server, mediaId)
  const finishedPlaylist = (name: string) => finishedPlaylistOf(at.server, mediaId, name)

  beforeAll(async () => {
    at = await serve()
    const { row, ...ids } = await transcodeSource(at, source, { timeoutMs: 150_000 })
    ;({ mediaId, titleId } = ids)
    expect(row.error).toBeNull()
    master = parseMasterPlaylist(await servedText(at.server, mediaId, 'master.m3u8'))
  }, hookTimeoutMs)
  afterAll(async () => {
    at?.close()
    await at?.server.stop()
  })

  test('says it runs ffmpeg in WebAssembly, and why', () => {
    expect(at.server.output()).toContain(`ffmpeg in WebAssembly (${noFfmpeg.ini.FFmpegPath} not found)`)
  })

  test('ends ready at progress 1, its job done on the first attempt', async () => {
    const row = await mediaRow(at.db, mediaId)
    expect(row).toMatchObject({ status: 'ready', progress: 1, error: null, isPlayable: true })
    expect(row.source).toMatchObject({ width: 1280, height: 720, videoCodec: 'h264', audioTracks: 2, frameRate: 24 })
    expect(await jobRows(at.db, mediaId)).toEqual([expect.objectContaining({ status: 'done', attempts: 1, leaseOwner: null })])
  })

  test('the reduced ladder: the 720p source copied as stream_0, then 360p encoded', async () => {
    // Decided by native mode's rule (copy.ts), and the plan says so: the log tells the truth.
    expect(at.server.output()).toContain(`media ${mediaId}: top rung copied from the source`)
    expect(master.variants.map(v => [v.uri, v.attributes.RESOLUTION])).toEqual([
      ['stream_0.m3u8', '1280x720'],
      ['stream_1.m3u8', '640x360'],
    ])
    // Copied, not re-encoded: every decoded picture of stream_0 is the source's own.
    const segments = await finishedPlaylist('stream_0.m3u8')
    const copied = (await Promise.all(segments.map(s => frameHashes(join(folderOf(), s.uri))))).flat()
    expect(copied).toEqual(await frameHashes(source))
  })

  test('every EXT-X-STREAM-INF attribute is right: measured BANDWIDTH, CODECS of the actual stream', async () => {
    const audio = await Promise.all(['audio_en.m3u8', 'audio_ru.m3u8'].map(finishedPlaylist))
    const audioPeak = Math.max(...audio.map(peakBps))
    const audioAverage = Math.max(...audio.map(averageBps))
    for (const [i, variant] of master.variants.entries()) {
      const segments = await finishedPlaylist(`stream_${i}.m3u8`)
      const a = variant.attributes
      expect(Number(a.BANDWIDTH)).toBeGreaterThanOrEqual(Math.floor(peakBps(segments) + audioPeak))
      expect(Number(a['AVERAGE-BANDWIDTH'])).toBeCloseTo(averageBps(segments) + audioAverage, -3)
      expect(a['FRAME-RATE']).toBe('24.000')
      expect(a.AUDIO).toBe('aud')
      expect(a.SUBTITLES).toBe('subs')
      const probed = await codecOfSegment(join(folderOf(), segments[0].uri))
      expect(`${probed.width}x${probed.height}`).toBe(a.RESOLUTION)
      const [video, audioCodec] = a.CODECS.split(',')
      expect(audioCodec).toBe('mp4a.40.2')
      expect(Number.parseInt(video.slice(9, 11), 16)).toBe(probed.level)
      expect(totalSec(segments)).toBeCloseTo(6, 0)
    }
  })

  test('keyframes sit at the same instants in both rungs (the source keyframes), every segment starting with one', async () => {
    const perRung = await Promise.all(
      [0, 1].map(async rung => {
        const segments = await finishedPlaylist(`stream_${rung}.m3u8`)
        return Promise.all(segments.map(segment => keyframeTimes(join(folderOf(), segment.uri))))
      }),
    )
    const starts = perRung.map(rung => rung.map(keyframes => keyframes[0]))
    expect(starts[1]).toEqual(starts[0])
    expect(starts[0].map(sec => Math.round((sec - starts[0][0]) * 10) / 10)).toEqual([0, 2])
  })

  test('one AAC stereo rendition per audio language, and the SRT stream as subs/ru.vtt', async () => {
    expect(master.media.map(m => `${m.TYPE} ${m.LANGUAGE} ${m.DEFAULT} ${m.URI}`)).toEqual([
      'AUDIO en YES audio_en.m3u8',
      'AUDIO ru NO audio_ru.m3u8',
      'SUBTITLES ru NO subs_ru.m3u8',
    ])
    const [first] = await finishedPlaylist('audio_ru.m3u8')
    const json = await ffprobeJson(join(folderOf(), first.uri), ['-show_entries', 'stream=codec_name,profile,channels'])
    expect(json.streams).toEqual([{ codec_name: 'aac', profile: 'LC', channels: 2 }])
    const vtt = await servedText(at.server, mediaId, 'subs/ru.vtt')
    expect(vtt.startsWith('WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:126000,LOCAL:00:00:00.000\n')).toBe(true)
    expect(vtt).toContain('Привет, <i>мир</i>')
  })

  test('ffmpeg decodes every rendition through the master over HTTP without a corrupt packet', async () => {
    expect(await playerComplaintsOf(at.server, mediaId)).toEqual([])
  })

  test('continuity counters go on from one segment file to the next in every rendition', async () => {
    for (const name of ['stream_0', 'stream_1', 'audio_en', 'audio_ru']) {
      const paths = (await finishedPlaylist(`${name}.m3u8`)).map(s => join(folderOf(), s.uri))
      expect(continuityBreaks(paths)).toEqual([])
      for (const path of paths) expect(firstPids(path)).toContain(0)
    }
  })

  test('the folder holds the layout, a poster of the top rung size and the seek-bar previews', async () => {
    expect(readdirSync(folderOf()).sort()).toEqual([
      'audio_en',
      'audio_en.m3u8',
      'audio_ru',
      'audio_ru.m3u8',
      'master.m3u8',
      'poster.jpg',
      'source.mkv',
      'stream_0',
      'stream_0.m3u8',
      'stream_1',
      'stream_1.m3u8',
      'subs',
      'subs_ru.m3u8',
      'thumbs',
      'thumbs.vtt',
    ])
    const poster = await ffprobeJson(join(folderOf(), 'poster.jpg'), ['-show_entries', 'stream=width,height'])
    expect(poster.streams[0]).toEqual({ width: 1280, height: 720 })
    expect(readFileSync(join(folderOf(), 'thumbs.vtt'), 'utf8')).toContain('thumbs/sprite0000.jpg#xywh=0,0,160,90')
    expect(existsSync(join(folderOf(), '.work'))).toBe(false)
  })

  test('plays in Chromium (hls.js), subtitles offered', async () => {
    let browser: Browser | undefined
    try {
      browser = await launchBrowser()
      const { page, context, problems } = await openTab(browser, at.server.url)
      await page.goto(`/titles/${titleId}`)
      await pressPlay(page)
      await playedPast(page, 2.5)
      const { subtitleLanguages, error } = await page.locator('media-player').evaluate(
        // biome-ignore lint/suspicious/noExplicitAny: vidstack's element, typed in the bundle only
        (player: any) => ({
          subtitleLanguages: player.textTracks.toArray().map((track: TextTrack) => track.language),
          error: (player.querySelector('video') as HTMLVideoElement | null)?.error?.message ?? null,
        }),
      )
      expect(error).toBeNull()
      expect(subtitleLanguages).toContain('ru')
      expect(unexpectedProblems(problems)).toEqual([])
      await context.close()
    } finally {
      await browser?.close()
    }
  })
})

describe('a WebAssembly run past its time budget', () => {
  test('is terminated, and the video fails with the time limit, not tried again', async () => {
    // 1 s per second of video plus 1 s: 7 s for 6 s, far less than encoding two noisy
    // rungs in WebAssembly takes.
    const at = await serve({ TranscodeTimeFactor: 1, TranscodeTimeExtraSec: 1, WasmLadder: '480,360' })
    try {
      const noisy = await makeSource(join(dir, 'noisy.mp4'), {
        width: 1280,
        height: 720,
        durationSec: 6,
        audio: ['eng'],
        videoFilter: 'noise=alls=40:allf=t',
      })
      const { mediaId } = await enqueueSource(at, noisy)
      const processing = await waitForMedia(at.db, mediaId, row => row?.status === 'processing')
      expect(processing.status).toBe('processing')
      const [job] = await jobRows(at.db, mediaId)
      const workerPid = pidOfLeaseOwner(job.leaseOwner)
      const row = await waitForMedia(at.db, mediaId, isFinished, 60_000)
      expect(row).toMatchObject({ status: 'failed', errorCode: 'time_limit', isPlayable: false })
      expect(await jobRows(at.db, mediaId)).toEqual([expect.objectContaining({ status: 'failed', attempts: 1 })])
      // Nothing of the attempt is served, and no instance goes on computing in the worker.
      expect(existsSync(join(at.server.mediaDir, String(mediaId), 'master.m3u8'))).toBe(false)
      expect(workerPid).not.toBeNull()
      const before = cpuSecondsOf(workerPid as number)
      await Bun.sleep(2000)
      expect(cpuSecondsOf(workerPid as number) - before).toBeLessThan(0.5)
    } finally {
      at.close()
      await at.server.stop()
    }
  })
})

// utime + stime of a process, in seconds.
function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}
