// Moving finished segments from ffmpeg's work folder to the served layout. ffmpeg lists a
// segment in its playlist only after closing the file, so "listed" means "complete": the
// segment is renamed to `<name>/dataNNNN.ts` (or the previous attempt's identical file put
// back: previous.ts) and the served playlist rewritten to include it.
import { mkdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { isSegmentFileName, renditionPlaylistName } from '../hls/layout'
import { type MeasuredSegment, parseMediaPlaylist, renderMediaPlaylist } from '../hls/playlists'
import { writeFileAtomic } from '../hls/publish'
import type { Fence } from './jobs'
import { segmentSec } from './ladder'
import { type PreviousSegments, placeSegment } from './previous'
import { stallHereIfAsked } from './stall'

export type RenditionOutput = {
  // stream_0, audio_en: the playlist is `<name>.m3u8`, the segments `<name>/dataNNNN.ts`.
  name: string
  // Their URIs relative to `<name>/`: the file name, with `?a=<publication>` after the first.
  segments: MeasuredSegment[]
  isEnded: boolean
  // The plan's (TranscodePlan.targetDurationSec): the same from the first segment to the last.
  targetDurationSec: number
}

export function newRenditionOutput(name: string, targetDurationSec: number = segmentSec): RenditionOutput {
  return { name, segments: [], isEnded: false, targetDurationSec }
}

async function ensureSubfolder(path: string) {
  // Not recursive: a media folder deleted meanwhile must stay deleted (ENOENT here).
  await mkdir(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error
  })
}

async function readWorkPlaylist(workDir: string, name: string) {
  const text = await readFile(join(workDir, renditionPlaylistName(name)), 'utf8').catch(() => null)
  return text === null ? null : parseMediaPlaylist(text)
}

// Only while the lease holds (`fence`): after a takeover the playlist is the new owner's,
// and the work folder the text goes through first is gone.
export async function writeServedPlaylist(
  at: { folder: string; workDir: string; fence: Fence },
  output: RenditionOutput,
  isFinished: boolean,
) {
  const { folder } = at
  const segments = output.segments.map(segment => ({ ...segment, uri: `${output.name}/${segment.uri}` }))
  const text = renderMediaPlaylist({ segments, segmentSec: output.targetDurationSec, isFinished })
  await at.fence()
  await writeFileAtomic(join(folder, renditionPlaylistName(output.name)), text, at.workDir)
}

// The file a segment URI names, in its rendition folder (`data0003.ts?a=2` → `data0003.ts`).
export const segmentFileOf = (uri: string) => uri.split('?')[0]

export type PublishContext = { folder: string; workDir: string; publication: number; previous: PreviousSegments; fence: Fence }

// Publishes the segments ffmpeg finished since the last call. Returns whether any were.
export async function publishNewSegments(options: PublishContext & { output: RenditionOutput }) {
  const { folder, workDir, output, publication, previous, fence } = options
  const playlist = await readWorkPlaylist(workDir, output.name)
  if (!playlist) return false
  const fresh = playlist.segments.slice(output.segments.length)
  for (const entry of fresh) {
    const file = entry.uri.split('/').pop() ?? ''
    if (!isSegmentFileName(file)) throw new Error(`unexpected segment name in ffmpeg's playlist: ${entry.uri}`)
    await ensureSubfolder(join(folder, output.name))
    const workPath = join(workDir, output.name, file)
    const { size } = await stat(workPath)
    const target = join(folder, output.name, file)
    const uri = await placeSegment(previous, { rendition: output.name, file, workPath, target, publication, fence })
    output.segments.push({ uri, durationSec: entry.durationSec, sizeBytes: size })
  }
  output.isEnded = playlist.isEnded
  if (fresh.length > 0 && output.segments.length > fresh.length) stallHereIfAsked('segment-playlist')
  if (fresh.length > 0) await writeServedPlaylist(options, output, false)
  return fresh.length > 0
}

export const durationOf = (output: RenditionOutput) => output.segments.reduce((sum, segment) => sum + segment.durationSec, 0)
