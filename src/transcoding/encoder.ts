import type { EncoderSettings } from './args'

// x264 presets from fastest to slowest; `veryfast` at CRF 21 under per-rung caps is a
// good picture at a speed that keeps up with uploads on small servers.
export const x264Presets = [
  'ultrafast',
  'superfast',
  'veryfast',
  'faster',
  'fast',
  'medium',
  'slow',
  'slower',
  'veryslow',
  'placebo',
] as const

export const defaultEncoder: EncoderSettings = { preset: 'veryfast', crf: 21 }

// MOVIEPOINT_X264_PRESET and MOVIEPOINT_X264_CRF override the defaults (tests use a faster
// preset; an owner with spare CPU a slower one).
export function encoderSettingsFromEnv(env: Record<string, string | undefined> = process.env): EncoderSettings {
  const preset = env.MOVIEPOINT_X264_PRESET
  const crf = Number(env.MOVIEPOINT_X264_CRF)
  return {
    preset: preset && (x264Presets as readonly string[]).includes(preset) ? preset : defaultEncoder.preset,
    crf: Number.isInteger(crf) && crf >= 0 && crf <= 51 ? crf : defaultEncoder.crf,
  }
}
