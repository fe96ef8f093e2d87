// The uploaded file of a media (`<MediaDataPath>/<id>/source.<ext>`, hls-layout.md): whether it
// is still there (a retry needs it), and removing it once a failed upload has waited long enough.
import { readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { isSourceFileName, mediaFolder } from '../hls/layout'

async function sourceNamesIn(folder: string): Promise<string[]> {
  const entries = await readdir(folder).catch(() => [] as string[])
  return entries.filter(isSourceFileName)
}

export async function hasSourceFile(mediaDataPath: string, mediaId: number): Promise<boolean> {
  return (await sourceNamesIn(mediaFolder(mediaDataPath, mediaId))).length > 0
}

// Whether there was a source to remove.
export async function removeSourceFile(mediaDataPath: string, mediaId: number): Promise<boolean> {
  const folder = mediaFolder(mediaDataPath, mediaId)
  const names = await sourceNamesIn(folder)
  await Promise.all(names.map(name => rm(join(folder, name), { force: true })))
  return names.length > 0
}
