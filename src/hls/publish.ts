// Putting files under the names the stream route serves. Two rules hold everywhere:
// - a file appears under its final name only when complete (write a temp name, rename);
// - the master playlist is rendered from the media row alone, so the worker and the
//   subtitle upload (two processes, maybe two machines) can both rewrite it without
//   either losing what the other added.
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { type SQL, and, eq } from 'drizzle-orm'
import type { Db } from '../db/client'
import { media, type Rendition, type SubtitleTrack } from '../db/schema'
import { masterFileName, mediaFolder, playlistNames, subtitlesFolderName } from './layout'
import { type AudioEntry, renderMasterPlaylist, renderSubtitlePlaylist, type SubtitleEntry, type VariantEntry } from './playlists'

// Never creates folders: if the media folder was deleted meanwhile, this fails (ENOENT)
// instead of bringing it back. The temporary file is written in `tempFolder` (on the same
// filesystem): a worker's work folder, which goes when another worker takes its job over,
// so that a write begun before the takeover cannot end after it.
export async function writeFileAtomic(path: string, data: string | Uint8Array, tempFolder = dirname(path)): Promise<void> {
  const temp = join(tempFolder, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    await writeFile(temp, data)
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
}

type MasterRow = Pick<typeof media.$inferSelect, 'isPlayable' | 'renditions' | 'audio' | 'subtitles' | 'source'>

function variantOf(rendition: Rendition, index: number, fallbackFrameRate: number): VariantEntry {
  return {
    uri: playlistNames.video(index),
    bandwidth: rendition.bandwidth,
    averageBandwidth: rendition.averageBandwidth ?? rendition.bandwidth,
    width: rendition.width,
    height: rendition.height,
    frameRate: rendition.frameRate ?? fallbackFrameRate,
    videoCodec: rendition.codecs ?? 'avc1.640028',
  }
}

export function masterPlaylistOf(row: MasterRow): string {
  const fallbackFrameRate = row.source?.frameRate ?? 30
  const audio: AudioEntry[] = row.audio.map(track => ({ ...track, uri: playlistNames.audio(track) }))
  const subtitles: SubtitleEntry[] = row.subtitles.map((track: SubtitleTrack) => ({
    ...track,
    uri: playlistNames.subtitles(track.lang),
  }))
  return renderMasterPlaylist({
    variants: row.renditions.map((rendition, i) => variantOf(rendition, i, fallbackFrameRate)),
    audio,
    subtitles,
  })
}

async function readMasterRow(db: Db, mediaId: number): Promise<MasterRow | undefined> {
  const [row] = await db
    .select({
      isPlayable: media.isPlayable,
      renditions: media.renditions,
      audio: media.audio,
      subtitles: media.subtitles,
      source: media.source,
    })
    .from(media)
    .where(eq(media.id, mediaId))
  return row
}

const fingerprintOf = (row: MasterRow | undefined) => JSON.stringify(row ?? null)

const masterPathOf = (mediaDataPath: string, mediaId: number) => join(mediaFolder(mediaDataPath, mediaId), masterFileName)

// The master as it will be once the row says playable, written before the row says so:
// whoever reads the row as playable then always finds the file. (publishMaster, after
// the row changed, still has the last word.)
export async function writeMasterAhead(db: Db, mediaDataPath: string, mediaId: number): Promise<void> {
  const row = await readMasterRow(db, mediaId)
  if (row) await writeFileAtomic(masterPathOf(mediaDataPath, mediaId), masterPlaylistOf(row))
}

// Makes master.m3u8 match the row: written while the media is playable, absent otherwise.
// Whoever changed the row last also writes last: after each write the row is read again,
// and if it changed meanwhile (the other process updated it), the master is redone.
export async function publishMaster(db: Db, mediaDataPath: string, mediaId: number): Promise<boolean> {
  const path = masterPathOf(mediaDataPath, mediaId)
  let row = await readMasterRow(db, mediaId)
  for (let round = 0; round < 5; round++) {
    if (row?.isPlayable) await writeFileAtomic(path, masterPlaylistOf(row))
    else await rm(path, { force: true })
    const now = await readMasterRow(db, mediaId)
    if (fingerprintOf(now) === fingerprintOf(row)) return !!now?.isPlayable
    row = now
  }
  return !!row?.isPlayable
}

// The subtitle list is the source of truth for the master. Changed with a compare-and-set
// on the JSON, so a subtitle upload and the worker finishing at once both keep their track.
// `onlyIf` (the worker's lease) must hold at the read and at the write; null when it does
// not, or when the media is gone.
export async function updateSubtitleTracks(
  db: Db,
  mediaId: number,
  change: (tracks: SubtitleTrack[]) => SubtitleTrack[],
  onlyIf?: SQL,
): Promise<SubtitleTrack[] | null> {
  for (let round = 0; round < 10; round++) {
    const [row] = await db
      .select({ subtitles: media.subtitles })
      .from(media)
      .where(and(eq(media.id, mediaId), onlyIf))
    if (!row) return null
    const next = change(row.subtitles)
    const updated = await db
      .update(media)
      .set({ subtitles: next })
      .where(and(eq(media.id, mediaId), eq(media.subtitles, row.subtitles), onlyIf))
      .returning({ id: media.id })
    if (updated.length > 0) return next
  }
  throw new Error(`media ${mediaId}: subtitle list kept changing`)
}

// subs/<lang>.vtt and the one-segment playlist pointing at it.
export async function writeSubtitleTrack(options: { folder: string; lang: string; vtt: string; durationSec: number }) {
  await mkdir(join(options.folder, subtitlesFolderName)).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error
  })
  const vttName = playlistNames.subtitleFile(options.lang)
  await writeFileAtomic(join(options.folder, vttName), options.vtt)
  // The .vtt is served as immutable, yet a new upload replaces it under the same name:
  // the version in the query makes players fetch the new one.
  const version = createHash('sha256').update(options.vtt).digest('hex').slice(0, 12)
  const playlist = renderSubtitlePlaylist({ uri: `${vttName}?v=${version}`, durationSec: options.durationSec })
  await writeFileAtomic(join(options.folder, playlistNames.subtitles(options.lang)), playlist)
}
