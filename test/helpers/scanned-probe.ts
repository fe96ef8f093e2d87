// Probes as ffprobe describes a source and packet lines as the scan reads them, judged by
// the code both engines run (probe.ts checkProbe and videoPacketReader): what the copy
// decision (copy.ts) and the ladders are planned from, without a file.
import { checkProbe, type RawProbe, type SourceProbe, videoPacketReader } from '../../src/transcoding/probe'

export type VideoOptions = {
  width: number
  height: number
  fps: number
  pixFmt: string
  fieldOrder: string
  codec: string
  sar: string
  // Degrees of the display matrix (side data), as phones write it.
  rotation: number
}

const defaults: VideoOptions = {
  width: 1920,
  height: 1080,
  fps: 30,
  pixFmt: 'yuv420p',
  fieldOrder: 'progressive',
  codec: 'h264',
  sar: '1:1',
  rotation: 0,
}

// A source of `durationSec` seconds with a keyframe at each of `keyframesSec` and packets of
// `frameBytes`, probed and scanned the way probeSource does it.
export function sourceOf(options: {
  durationSec: number
  keyframesSec: number[]
  frameBytes?: number
  startSec?: number
  video?: Partial<VideoOptions>
  audio?: { codec: string; profile: string; channels: number }
}): SourceProbe {
  const video = { ...defaults, ...options.video }
  const startSec = options.startSec ?? 0
  const raw = {
    format: { format_name: 'matroska,webm', duration: String(options.durationSec), start_time: String(startSec) },
    streams: [
      {
        index: 0,
        codec_type: 'video',
        codec_name: video.codec,
        width: video.width,
        height: video.height,
        sample_aspect_ratio: video.sar,
        pix_fmt: video.pixFmt,
        field_order: video.fieldOrder,
        r_frame_rate: `${video.fps}/1`,
        avg_frame_rate: `${video.fps}/1`,
        ...(video.rotation ? { side_data_list: [{ rotation: video.rotation }] } : {}),
      },
      ...(options.audio
        ? [
            {
              index: 1,
              codec_type: 'audio',
              codec_name: options.audio.codec,
              profile: options.audio.profile,
              channels: options.audio.channels,
            },
          ]
        : []),
    ],
  } as RawProbe
  const reader = videoPacketReader(checkProbe(raw))
  const frames = Math.round(options.durationSec * video.fps)
  const keyframeNumbers = new Set(options.keyframesSec.map(sec => Math.round(sec * video.fps)))
  const lines = Array.from({ length: frames }, (_, n) => {
    const timeSec = (startSec + n / video.fps).toFixed(6)
    return `${timeSec},${timeSec},${options.frameBytes ?? 10_000},${keyframeNumbers.has(n) ? 'K_' : '__'}\n`
  })
  reader.feed(lines.join(''))
  return reader.finish()
}

// Keyframe times every `stepSec` from 0 to before `durationSec`.
export const every = (stepSec: number, durationSec: number) =>
  Array.from({ length: Math.ceil(durationSec / stepSec) }, (_, i) => i * stepSec)
