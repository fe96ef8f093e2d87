// Why a video could not be processed: a code and the figures its sentence needs, stored
// on the media row. Pages say it in the viewer's language (i18n key `failure.<code>`);
// the API's `error` keeps the English sentence for integrations, `errorCode` the code.
import { type MessageKey, type Translate, translator } from '../i18n'

export const failureCodes = [
  'not_a_video',
  'empty_file',
  'playlist_or_reference',
  'unknown_length',
  'too_long',
  'unknown_picture_size',
  'picture_too_large',
  'too_many_streams',
  'no_video_stream',
  'source_missing',
  'truncated',
  'sparse_video',
  'timestamp_gap',
  'too_many_frames',
  'scan_too_slow',
  'memory_limit',
  'time_limit',
  'cpu_limit',
  'failed_repeatedly',
  'stopped_repeatedly',
  'cancelled',
] as const

export type FailureCode = (typeof failureCodes)[number]
export type FailureParams = Record<string, string | number>
export type FailureReason = { code: FailureCode; params?: FailureParams }

export function failureMessage(t: Translate, reason: FailureReason): string {
  return t(`failure.${reason.code}` as MessageKey, reason.params)
}

const english = translator('en')

export function englishFailureMessage(reason: FailureReason): string {
  return failureMessage(english, reason)
}

export function isFailureCode(value: unknown): value is FailureCode {
  return typeof value === 'string' && (failureCodes as readonly string[]).includes(value)
}

// A file that is not a video we will transcode, or one whose processing hit a limit:
// trying again would not help. `reason` is shown to the uploader in their language.
export class MediaRejected extends Error {
  readonly name = 'MediaRejected'
  readonly reason: FailureReason

  // What the ffprobe or ffmpeg that found it out said last, kept on the job for admins.
  stderrTail?: string

  constructor(code: FailureCode, params?: FailureParams) {
    const reason = params ? { code, params } : { code }
    super(englishFailureMessage(reason))
    this.reason = reason
  }
}

// 83.4 → "1:23", 86000 → "23:53:20": the same in every language.
export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds))
  const [hours, minutes, secs] = [Math.floor(whole / 3600), Math.floor((whole % 3600) / 60), whole % 60]
  const pad = (value: number) => String(value).padStart(2, '0')
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(secs)}` : `${minutes}:${pad(secs)}`
}
