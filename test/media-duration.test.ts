// How long a source's media lasts, as the transcoder judges completeness by it: the video
// and audio streams it transcodes, not the container, which a subtitle track can stretch.
import { describe, expect, test } from 'bun:test'
import { checkProbe, type RawProbe } from '../src/transcoding/probe'

const video = { index: 0, codec_type: 'video', codec_name: 'h264', width: 1280, height: 720, r_frame_rate: '30/1' }
const probe = (format: string, streams: object[], durationSec: string): RawProbe =>
  ({ format: { format_name: format, duration: durationSec, nb_streams: streams.length }, streams }) as RawProbe

describe('media duration', () => {
  test('MP4: the longest of the video and audio stream durations, not a longer subtitle track', () => {
    const checked = checkProbe(
      probe(
        'mov,mp4,m4a,3gp,3g2,mj2',
        [
          { ...video, duration: '20.000000' },
          { index: 1, codec_type: 'audio', codec_name: 'aac', duration: '20.021333' },
          { index: 2, codec_type: 'subtitle', codec_name: 'mov_text', duration: '29.000000' },
        ],
        '29.000000',
      ),
    )
    expect(checked.durationSec).toBe(29)
    expect(checked.mediaDurationSec).toBeCloseTo(20.021333, 6)
  })

  test('Matroska: read from the DURATION tags its muxers write for each track', () => {
    const checked = checkProbe(
      probe(
        'matroska,webm',
        [
          { ...video, tags: { DURATION: '00:00:20.023000000' } },
          { index: 1, codec_type: 'audio', codec_name: 'aac', tags: { 'DURATION-eng': '00:00:19.990000000' } },
          { index: 2, codec_type: 'subtitle', codec_name: 'subrip', tags: { DURATION: '00:00:29.023000000' } },
        ],
        '29.023000',
      ),
    )
    expect(checked.mediaDurationSec).toBeCloseTo(20.023, 6)
  })

  test("without stream durations, or with absurd ones, the container's is used", () => {
    expect(checkProbe(probe('matroska,webm', [video], '12.5')).mediaDurationSec).toBe(12.5)
    const overlong = checkProbe(probe('mov,mp4', [{ ...video, duration: '90000' }], '12.5'))
    expect(overlong.mediaDurationSec).toBe(12.5)
  })
})
