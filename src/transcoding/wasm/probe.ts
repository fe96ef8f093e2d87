// Probing in WebAssembly: the build has ffprobe as well as ffmpeg, so a source is judged
// exactly as in native mode (probe.ts: sniffing, the header's JSON through checkProbe, every
// video packet through the same reader, which also notes the keyframes copy.ts decides by).
import type { TranscodeLimits } from '../../config'
import type { ChildLimits } from '../bounded-child'
import { rejectionForLimit } from '../bounded-child'
import { formatDuration, MediaRejected } from '../failure'
import { packetScanArgs } from '../packets'
import { checkProbe, limits, type RawProbe, safeInputArgs, scanTimeSec, type SourceProbe, sniffSource, videoPacketReader } from '../probe'
import { startWasmTool } from './run'

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

export async function probeWithWasm(options: { path: string; folder: string; limits: TranscodeLimits }): Promise<SourceProbe> {
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
  const scanSec = await scanTimeSec(path)
  const scanLimits = { memoryBytes: options.limits.memoryBytes, wallSec: scanSec, cpuSec: scanSec }
  const reader = videoPacketReader(probe)
  await runProbe(packetScanArgs(safeInputArgs(path, probe.demuxer), probe.video.index), folder, scanLimits, line =>
    reader.feed(`${line}\n`),
  )
  return reader.finish()
}
