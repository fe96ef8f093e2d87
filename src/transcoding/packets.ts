// Does the video really hold what its header declares? The transcode makes every frame
// from the first video timestamp to the last (the fps filter fills gaps with copies), so
// a file of 50 frames whose last one sits at 86,000 s costs a day of encoding and ~7 GB.
// The packet timestamps tell it: read by ffprobe, demuxing only, summed up line by line
// (constant memory whatever the size of the file), then judged here. Pure but for I/O.
import { formatDuration, MediaRejected } from './failure'

export const packetRules = {
  // No picture for this long: a damaged file or one built to make the server work.
  maxGapSec: 600,
  // The pictures must cover at least this share of the span (once it is over a minute)...
  minCoveredShare: 0.5,
  minSpanForCoverageSec: 60,
  // ...and a picture covers the time to the next one, up to this much (or two frames).
  coverCapSec: 1,
  // More pictures than this many times the frame rate allows: decoding them all is work
  // the output never shows.
  maxFrameRateExcess: 2,
  frameSlack: 100,
}

export type PacketStats = {
  count: number
  firstSec: number
  lastSec: number
  coveredSec: number
  largestGapSec: number
  largestGapAfterSec: number
  totalBytes: number
}

// ffprobe arguments: one line "pts_time,dts_time,size,flags" per packet of stream `index`
// (ffprobe writes the entries in this order whatever the order asked for).
export function packetScanArgs(inputArgs: string[], index: number): string[] {
  return ['-select_streams', String(index), '-show_entries', 'packet=pts_time,dts_time,size,flags', '-of', 'csv=p=0', ...inputArgs]
}

// A keyframe (flags "K…") as the scan meets it, in decode order: its time, and how many
// bytes and packets of the stream came before it.
export type KeyframeSeen = { timeSec: number; bytesBefore: number; packetsBefore: number }

// Sums up packet lines as they arrive. Timestamps may come out of order (B-frames): only
// a packet past the latest one seen extends the covered time. `onKeyframe` hears of every
// keyframe (copy.ts picks the segment cuts of a copied top rung from them).
export function readPacketStats(frameRate: number, onKeyframe?: (keyframe: KeyframeSeen) => void) {
  const coverCapSec = Math.max(packetRules.coverCapSec, 2 / (frameRate || 1))
  const stats: PacketStats = {
    count: 0,
    firstSec: Infinity,
    lastSec: -Infinity,
    coveredSec: 0,
    largestGapSec: 0,
    largestGapAfterSec: 0,
    totalBytes: 0,
  }
  let pending = ''
  const addLine = (line: string) => {
    const [ptsText, dtsText, sizeText, flags] = line.split(',')
    const [pts, dts, size] = [Number(ptsText), Number(dtsText), Number(sizeText)]
    const timeSec = Number.isFinite(pts) ? pts : dts
    if (!Number.isFinite(timeSec)) return
    if (flags?.startsWith('K')) onKeyframe?.({ timeSec, bytesBefore: stats.totalBytes, packetsBefore: stats.count })
    if (size > 0) stats.totalBytes += size
    stats.count += 1
    if (stats.count === 1) {
      stats.firstSec = stats.lastSec = timeSec
      stats.coveredSec = 1 / (frameRate || 1)
      return
    }
    stats.firstSec = Math.min(stats.firstSec, timeSec)
    if (timeSec <= stats.lastSec) return
    const gapSec = timeSec - stats.lastSec
    if (gapSec > stats.largestGapSec) {
      stats.largestGapSec = gapSec
      stats.largestGapAfterSec = stats.lastSec
    }
    stats.coveredSec += Math.min(gapSec, coverCapSec)
    stats.lastSec = timeSec
  }
  return {
    feed(text: string) {
      const lines = (pending + text).split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) addLine(line)
    },
    result(): PacketStats {
      if (pending) addLine(pending)
      pending = ''
      return { ...stats }
    },
  }
}

// MPEG transport and program streams jump in time (a broadcast recording, a 33-bit clock
// wrapping): ffmpeg closes such a jump instead of filling it, so it costs nothing there.
export const demuxersClosingGaps = ['mpegts', 'mpeg']

type PacketCheck = { frameRate: number; maxSpanSec: number; isGapClosed: boolean }

// The span of the video (first picture to last, plus one frame), or a rejection.
export function checkPackets(stats: PacketStats, options: PacketCheck): number {
  if (stats.count === 0) throw new MediaRejected('no_video_stream')
  const frameSec = 1 / (options.frameRate || 1)
  if (options.isGapClosed) return checkFrameCount(stats, options, stats.coveredSec)
  const spanSec = stats.lastSec - stats.firstSec + frameSec
  if (spanSec > options.maxSpanSec) throw new MediaRejected('too_long', { hours: options.maxSpanSec / 3600 })
  if (stats.largestGapSec > packetRules.maxGapSec)
    throw new MediaRejected('timestamp_gap', {
      gap: formatDuration(stats.largestGapSec),
      at: formatDuration(stats.largestGapAfterSec - stats.firstSec),
    })
  if (spanSec > packetRules.minSpanForCoverageSec && stats.coveredSec < spanSec * packetRules.minCoveredShare)
    throw new MediaRejected('sparse_video', { declared: formatDuration(spanSec), covered: formatDuration(stats.coveredSec) })
  return checkFrameCount(stats, options, spanSec)
}

function checkFrameCount(stats: PacketStats, options: PacketCheck, spanSec: number): number {
  const allowedFrames = spanSec * options.frameRate * packetRules.maxFrameRateExcess + packetRules.frameSlack
  if (stats.count > allowedFrames)
    throw new MediaRejected('too_many_frames', {
      frames: stats.count,
      declared: formatDuration(spanSec),
      rate: Math.round(options.frameRate * 100) / 100,
    })
  return spanSec
}
