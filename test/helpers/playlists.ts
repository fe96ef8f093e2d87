// Reading a master playlist back, for tests that check what the server wrote (the server
// itself only writes masters).
import { parseAttributeList } from '../../src/hls/playlists'

export type ParsedMaster = {
  variants: { attributes: Record<string, string>; uri: string }[]
  media: Record<string, string>[]
  tags: string[]
}

export function parseMasterPlaylist(text: string): ParsedMaster {
  const parsed: ParsedMaster = { variants: [], media: [], tags: [] }
  const lines = text.split(/\r?\n/).map(line => line.trim())
  lines.forEach((line, i) => {
    if (line.startsWith('#EXT-X-STREAM-INF:'))
      parsed.variants.push({ attributes: parseAttributeList(line.slice(18)), uri: lines[i + 1] ?? '' })
    else if (line.startsWith('#EXT-X-MEDIA:')) parsed.media.push(parseAttributeList(line.slice(13)))
    else if (line.startsWith('#')) parsed.tags.push(line)
  })
  return parsed
}
