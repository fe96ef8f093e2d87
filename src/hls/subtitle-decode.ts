// Subtitle files come in whatever encoding the tool that made them liked: UTF-8, UTF-16
// from Windows tools (with a byte order mark), and for Russian films very often CP1251.

function hasPrefix(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((byte, i) => bytes[i] === byte)
}

// UTF-16 without a BOM: text is mostly ASCII, so every other byte is zero.
function guessUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const sample = bytes.subarray(0, 4096)
  let evenZeros = 0
  let oddZeros = 0
  for (let i = 0; i < sample.length; i++) if (sample[i] === 0) i % 2 === 0 ? evenZeros++ : oddZeros++
  const half = sample.length / 2
  if (oddZeros > half * 0.4 && evenZeros < half * 0.05) return 'utf-16le'
  if (evenZeros > half * 0.4 && oddZeros < half * 0.05) return 'utf-16be'
  return null
}

// Not UTF-8, so a legacy 8-bit code page. In Cyrillic text nearly every letter is a high
// byte; in Western (CP1252) text accented letters are a small share among ASCII ones.
function guessSingleByte(bytes: Uint8Array): 'windows-1251' | 'windows-1252' {
  let high = 0
  let asciiLetters = 0
  for (const byte of bytes) {
    if (byte >= 0xc0 || byte === 0xa8 || byte === 0xb8) high++
    else if ((byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)) asciiLetters++
  }
  return high > asciiLetters * 0.5 ? 'windows-1251' : 'windows-1252'
}

function decodeAs(encoding: string, bytes: Uint8Array): string {
  return new TextDecoder(encoding).decode(bytes)
}

export function decodeSubtitleBytes(bytes: Uint8Array): { text: string; encoding: string } {
  if (hasPrefix(bytes, [0xef, 0xbb, 0xbf])) return { text: decodeAs('utf-8', bytes.subarray(3)), encoding: 'utf-8' }
  if (hasPrefix(bytes, [0xff, 0xfe])) return { text: decodeAs('utf-16le', bytes.subarray(2)), encoding: 'utf-16le' }
  if (hasPrefix(bytes, [0xfe, 0xff])) return { text: decodeAs('utf-16be', bytes.subarray(2)), encoding: 'utf-16be' }
  const utf16 = guessUtf16(bytes)
  if (utf16) return { text: decodeAs(utf16, bytes), encoding: utf16 }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' }
  } catch {
    const encoding = guessSingleByte(bytes)
    return { text: decodeAs(encoding, bytes), encoding }
  }
}
