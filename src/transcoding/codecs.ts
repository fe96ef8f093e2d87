// The CODECS string of a rung, read from what x264 actually wrote: its profile and level
// depend on the preset (ultrafast gives Constrained Baseline whatever -profile says) and on
// x264's own level choice, so they are taken from the stream's SPS, not guessed.
import { open } from 'node:fs/promises'

const tsPacketBytes = 188

// Payloads of every MPEG-TS packet, concatenated per PID.
function payloadsByPid(bytes: Uint8Array): Map<number, number[]> {
  const payloads = new Map<number, number[]>()
  for (let offset = 0; offset + tsPacketBytes <= bytes.length; offset += tsPacketBytes) {
    if (bytes[offset] !== 0x47) continue
    const pid = ((bytes[offset + 1] & 0x1f) << 8) | bytes[offset + 2]
    const adaptation = (bytes[offset + 3] >> 4) & 0x3
    if ((adaptation & 0x1) === 0) continue
    const start = offset + 4 + (adaptation & 0x2 ? 1 + bytes[offset + 4] : 0)
    const list = payloads.get(pid) ?? []
    for (let i = start; i < offset + tsPacketBytes; i++) list.push(bytes[i])
    payloads.set(pid, list)
  }
  return payloads
}

const hex = (value: number) => value.toString(16).padStart(2, '0')

// "avc1.PPCCLL" from the first sequence parameter set (NAL type 7) in an Annex B stream.
export function avcCodecFromAnnexB(data: ArrayLike<number>): string | null {
  for (let i = 0; i + 6 < data.length; i++) {
    const isStartCode = data[i] === 0 && data[i + 1] === 0 && data[i + 2] === 1
    if (isStartCode && (data[i + 3] & 0x1f) === 7) return `avc1.${hex(data[i + 4])}${hex(data[i + 5])}${hex(data[i + 6])}`
  }
  return null
}

export function avcCodecFromTs(bytes: Uint8Array): string | null {
  for (const payload of payloadsByPid(bytes).values()) {
    const codec = avcCodecFromAnnexB(payload)
    if (codec) return codec
  }
  return null
}

// The SPS sits at the start of every segment (each begins with an IDR frame).
export async function readVideoCodec(segmentPath: string): Promise<string | null> {
  const handle = await open(segmentPath, 'r')
  try {
    const buffer = new Uint8Array(64 * 1024)
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0)
    return avcCodecFromTs(buffer.subarray(0, bytesRead))
  } finally {
    await handle.close()
  }
}
