// Where a media's files live: `<MediaDataPath>/<mediaId>/` (see shared/hls-layout.md).
// Ids are integers, so nothing a client sends ever becomes part of these paths.
import { rm } from 'node:fs/promises'
import { join } from 'node:path'

export function mediaFolder(mediaDataPath: string, mediaId: number): string {
  if (!Number.isSafeInteger(mediaId) || mediaId < 1) throw new Error(`invalid media id ${mediaId}`)
  return join(mediaDataPath, String(mediaId))
}

export async function removeMediaFolders(mediaDataPath: string, mediaIds: number[]): Promise<void> {
  await Promise.all(mediaIds.map((id) => rm(mediaFolder(mediaDataPath, id), { recursive: true, force: true })))
}
