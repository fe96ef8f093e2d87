// hls/: the names of shared/hls-layout.md (this file, and nowhere else), m3u8 text, publishing, WebVTT.
// Where a media's files live: `<MediaDataPath>/<mediaId>/`, under the names below.
// Ids are integers, so nothing a client sends ever becomes part of these paths.
import { rm } from 'node:fs/promises'
import { join } from 'node:path'

export function mediaFolder(mediaDataPath: string, mediaId: number): string {
  if (!Number.isSafeInteger(mediaId) || mediaId < 1) throw new Error(`invalid media id ${mediaId}`)
  return join(mediaDataPath, String(mediaId))
}

export async function removeMediaFolders(mediaDataPath: string, mediaIds: number[]): Promise<void> {
  await Promise.all(mediaIds.map(id => rm(mediaFolder(mediaDataPath, id), { recursive: true, force: true })))
}

// source.<ext>: the upload as received.
export const sourceFileName = (extension: string) => `source.${extension}`
export const isSourceFileName = (name: string) => /^source\.[a-z0-9]{1,8}$/.test(name)

export const masterFileName = 'master.m3u8'
export const posterFileName = 'poster.jpg'
export const subtitlesFolderName = 'subs'

// A rendition is a playlist `<name>.m3u8` with its segments in `<name>/`: stream_0 is the
// highest video rung, audio_<key> one audio rendition.
export const renditionNames = {
  video: (index: number) => `stream_${index}`,
  audio: (key: string) => `audio_${key}`,
}
export const renditionPlaylistName = (renditionName: string) => `${renditionName}.m3u8`
// data0000.ts, data0001.ts, ... (ffmpeg's pattern, and the test of a name it wrote).
export const segmentFileTemplate = 'data%04d.ts'
export const isSegmentFileName = (name: string) => /^data\d+\.ts$/.test(name)

// subs/<lang>.vtt with subs_<lang>.m3u8 pointing at it.
export const subtitleVttName = (lang: string) => `${lang}.vtt`

// thumbs.vtt: seek-bar previews, cues pointing at `thumbs/spriteNNNN.jpg#xywh=x,y,w,h`.
export const thumbnailsVttName = 'thumbs.vtt'
export const thumbnailsFolderName = 'thumbs'
// sprite0000.jpg, sprite0001.jpg, ... (ffmpeg's pattern, and the name of sheet `index`).
export const spriteFileTemplate = 'sprite%04d.jpg'
export const spriteFileName = (index: number) => `sprite${String(index).padStart(4, '0')}.jpg`
export const isSpriteFileName = (name: string) => /^sprite\d{4,9}\.jpg$/.test(name)

export const playlistNames = {
  video: (index: number) => renditionPlaylistName(renditionNames.video(index)),
  audio: (track: { key?: string; lang: string }) => renditionPlaylistName(renditionNames.audio(track.key ?? track.lang)),
  subtitles: (lang: string) => `subs_${lang}.m3u8`,
  subtitleFile: (lang: string) => `${subtitlesFolderName}/${subtitleVttName(lang)}`,
}

// How a file that publication `publication` of the media made (1: its first transcoding
// attempt to publish, then 2, 3… for retries: transcoding/previous.ts) is referred to: a
// name answers other bytes after a retry, and these files are served `immutable`, so a
// later publication's get a URI of their own. The file server ignores the query.
export const publicationUri = (name: string, publication: number) => (publication > 1 ? `${name}?a=${publication}` : name)

// The addresses players use: /media/<mediaId>/<name>.
export const mediaUrlPrefix = '/media/'
export const mediaFileUrl = (mediaId: number, name: string) => `${mediaUrlPrefix}${mediaId}/${name}`

// The names above as patterns over a raw (still percent-encoded) URL path part: all the
// file server may serve. Languages are BCP 47-like tags; never `source.*`, dot-files,
// temporary names or `.uploads`.
const lang = '[a-z]{2,3}(?:[-_][a-z0-9]{1,8})?'
export const servedNamePatterns = {
  playlist: new RegExp(`^(?:master|stream_[0-9]{1,2}|audio_${lang}|subs_${lang})\\.m3u8$`),
  segment: new RegExp(`^(?:stream_[0-9]{1,2}|audio_${lang})/data[0-9]{1,9}\\.ts$`),
  subtitles: new RegExp(`^subs/${lang}\\.vtt$`),
  poster: /^poster\.jpg$/,
  thumbnails: /^thumbs\.vtt$/,
  sprite: /^thumbs\/sprite[0-9]{4,9}\.jpg$/,
}
