// Where uploads wait until they are complete: `<MediaDataPath>/.uploads/`, on the same
// filesystem as the media folders, so a finished upload becomes `<mediaId>/source.<ext>`
// with one rename, never a copy of 10 GB.
import { randomBytes } from 'node:crypto'
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { mediaFolder, sourceFileName } from '../hls/layout'
import { containerExtension } from './filename'

export function uploadsFolder(mediaDataPath: string): string {
  return join(mediaDataPath, '.uploads')
}

// tus upload ids are `<mediaId>-<32 hex>`: the media row is found from the id, and the
// random part keeps ids unguessable.
const tusIdPattern = /^([1-9]\d{0,15})-[0-9a-f]{32}$/

export function newTusUploadId(mediaId: number): string {
  return `${mediaId}-${randomBytes(16).toString('hex')}`
}

export function mediaIdOfTusUpload(uploadId: string): number | null {
  const match = tusIdPattern.exec(uploadId)
  const mediaId = match ? Number(match[1]) : Number.NaN
  return Number.isSafeInteger(mediaId) ? mediaId : null
}

// Raw PUT bodies are written under a temporary name and renamed when complete.
export function newRawUploadPath(mediaDataPath: string): string {
  return join(uploadsFolder(mediaDataPath), `put-${randomBytes(16).toString('hex')}.part`)
}

// A rename survives a crash once its folder is synced.
export async function syncFolder(path: string) {
  const handle = await open(path, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

// Moves a complete upload into its media folder as `source.<ext>` and makes the rename
// durable; returns the new path. An upload moved already (by a concurrent finisher, or
// before a crash) counts as moved.
export async function moveIntoMediaFolder(options: {
  mediaDataPath: string
  mediaId: number
  uploadPath: string
  filename: string | null
}): Promise<string> {
  const folder = mediaFolder(options.mediaDataPath, options.mediaId)
  await mkdir(folder, { recursive: true })
  const sourcePath = join(folder, sourceFileName(containerExtension(options.filename)))
  try {
    await rename(options.uploadPath, sourcePath)
  } catch (error) {
    const isMovedAlready = (error as NodeJS.ErrnoException).code === 'ENOENT' && (await stat(sourcePath).catch(() => null))
    if (!isMovedAlready) throw error
  }
  await syncFolder(folder)
  return sourcePath
}

// The partial tus upload of a media (data and its `.json` info), if any.
export async function removePartialUploads(mediaDataPath: string, mediaId: number): Promise<void> {
  const folder = uploadsFolder(mediaDataPath)
  const names = await readdir(folder).catch(() => [] as string[])
  const prefix = `${mediaId}-`
  await Promise.all(names.filter(name => name.startsWith(prefix)).map(name => rm(join(folder, name), { force: true })))
}

// Leftovers no request will ever come back for: tus uploads whose media row is gone
// (title deleted meanwhile) and raw PUT parts older than a day (their request died with
// a server). Returns how many files were removed.
export async function sweepUploads(options: {
  mediaDataPath: string
  hasMedia: (mediaId: number) => Promise<boolean>
  nowMs?: number
}): Promise<number> {
  const folder = uploadsFolder(options.mediaDataPath)
  const names = await readdir(folder).catch(() => [] as string[])
  const dayAgoMs = (options.nowMs ?? Date.now()) - 24 * 3600_000
  let removed = 0
  for (const name of names) {
    const path = join(folder, name)
    const mediaId = mediaIdOfTusUpload(name.replace(/\.json$/, ''))
    const isOrphan =
      mediaId !== null
        ? !(await options.hasMedia(mediaId))
        : name.startsWith('put-') && ((await stat(path).catch(() => null))?.mtimeMs ?? Infinity) < dayAgoMs
    if (!isOrphan) continue
    await rm(path, { force: true })
    removed += 1
  }
  return removed
}
