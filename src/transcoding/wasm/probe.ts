// Probing in WebAssembly: the build has ffprobe as well as ffmpeg, so a source is judged
// exactly as in native mode (probe.ts: sniffing, the header's JSON through checkProbe, every
// video packet through checkPackets). The same packet scan also notes where the keyframes
// are and how many bytes lie between them: what deciding to copy the top rung needs.
import { stat } from 'node:fs/promises'
import type { TranscodeLimits } from '../../config'
import type { ChildLimits } from '../bounded-child'
import { rejectionForLimit } from '../bounded-child'
import { formatDuration, MediaRejected } from '../failure'
import { checkPackets, demuxersClosingGaps, readPacketStats } from '../packets'
import { checkProbe, limits, type RawProbe, safeInputArgs, type SourceProbe, sniffSource } from '../probe'
import { startWasmTool } from './run'

// What the header says of the video beyond SourceProbe, and where its keyframes are.
export type VideoFacts = {
  pixelFormat: string | null
  sampleAspectRatio: string | null
  fieldOrder: string | null
  isRotated: boolean
  // Whether the first video packet is a keyframe (a stream that starts mid-GOP is not).
  startsWithKeyframe: boolean
  // Presentation times of the keyframes on ffmpeg's output clock (seconds from the file's
  // start time, which ffmpeg moves to 0), in order, and the bytes of video before each (so
  // the bytes between two keyframes are a subtraction).
  keyframesSec: number[]
  bytesBeforeKeyframe: number[]
  totalBytes: number
}

export type WasmProbe = { probe: SourceProbe; video: VideoFacts }

type RawVideo = {
  index: number
  pix_fmt?: string
  sample_aspect_ratio?: string
  field_order?: string
  tags?: Record<string, string>
  side_data_list?: { rotation?: number }[]
}

async function runProbe(args: string[], folder: string, runLimits: ChildLimits, onLine?: (line: string) => void) {
  const run = startWasmTool({
    tool: 'ffprobe',
    args: ['-v', 'error', '-hide_banner', ...args],
    folders: [folder],
    limits: runLimits,
    onStdoutLine: onLine,
  })
  await run.exited
  const hit = run.limitHit()
  if (hit === 'memory') throw rejectionForLimit('memory', runLimits)
  if (hit) throw new MediaRejected('scan_too_slow', { limit: formatDuration(runLimits.wallSec) })
  if (/exceeds max_streams/.test(run.stderrTail())) throw new MediaRejected('too_many_streams', { max: limits.maxStreams })
  return run.stdoutText()
}

type HeaderFacts = Pick<VideoFacts, 'pixelFormat' | 'sampleAspectRatio' | 'fieldOrder' | 'isRotated'>

function videoFactsOf(raw: RawProbe, index: number): HeaderFacts {
  const stream = (raw.streams ?? []).find(s => s.index === index) as RawVideo | undefined
  const rotation = stream?.side_data_list?.find(data => typeof data.rotation === 'number')?.rotation ?? stream?.tags?.rotate ?? 0
  return {
    pixelFormat: stream?.pix_fmt ?? null,
    sampleAspectRatio: stream?.sample_aspect_ratio ?? null,
    fieldOrder: stream?.field_order ?? null,
    isRotated: Number(rotation) % 360 !== 0,
  }
}

// One line per packet: pts_time,dts_time,size,flags (ffprobe's order). The first two feed
// readPacketStats as in native mode; keyframes ("K" in flags) are noted besides.
function keyframeCollector(startSec: number) {
  const keyframesSec: number[] = []
  const bytesBeforeKeyframe: number[] = []
  let totalBytes = 0
  let packets = 0
  let startsWithKeyframe = false
  return {
    addLine(line: string) {
      const [pts, dts, size, flags] = line.split(',')
      const timeSec = Number(pts === 'N/A' || pts === '' ? dts : pts)
      if (!Number.isFinite(timeSec)) return
      const isKeyframe = flags?.includes('K') ?? false
      if (packets++ === 0) startsWithKeyframe = isKeyframe
      if (isKeyframe) {
        keyframesSec.push(timeSec - startSec)
        bytesBeforeKeyframe.push(totalBytes)
      }
      totalBytes += Number(size) || 0
    },
    result: () => ({ startsWithKeyframe, keyframesSec, bytesBeforeKeyframe, totalBytes }),
  }
}

export async function probeWithWasm(options: { path: string; folder: string; limits: TranscodeLimits }): Promise<WasmProbe> {
  const { path, folder } = options
  await sniffSource(path)
  const headerLimits = { memoryBytes: options.limits.memoryBytes, wallSec: limits.probeTimeSec, cpuSec: limits.probeTimeSec }
  const headerText = await runProbe(['-of', 'json', '-show_format', '-show_streams', ...safeInputArgs(path)], folder, headerLimits)
  let raw: RawProbe
  try {
    raw = JSON.parse(headerText)
  } catch {
    throw new MediaRejected('not_a_video')
  }
  const probe = checkProbe(raw)
  const scanSec = limits.probeTimeSec + Math.ceil((await stat(path)).size / limits.scanBytesPerSec)
  const scanLimits = { memoryBytes: options.limits.memoryBytes, wallSec: scanSec, cpuSec: scanSec }
  const stats = readPacketStats(probe.video.frameRate)
  const keyframes = keyframeCollector(Number((raw.format as { start_time?: string } | undefined)?.start_time) || 0)
  const scanArgs = [
    '-select_streams',
    String(probe.video.index),
    '-show_entries',
    'packet=pts_time,dts_time,size,flags',
    '-of',
    'csv=p=0',
  ]
  await runProbe([...scanArgs, ...safeInputArgs(path, probe.demuxer)], folder, scanLimits, line => {
    stats.feed(`${line}\n`)
    keyframes.addLine(line)
  })
  const videoSpanSec = checkPackets(stats.result(), {
    frameRate: probe.video.frameRate,
    maxSpanSec: limits.maxDurationSec,
    isGapClosed: demuxersClosingGaps.includes(probe.demuxer),
  })
  return { probe: { ...probe, videoSpanSec }, video: { ...videoFactsOf(raw, probe.video.index), ...keyframes.result() } }
}
