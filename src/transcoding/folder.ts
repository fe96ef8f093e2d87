// The media folder before and after a transcoding attempt. An attempt starts from a clean
// state — whatever an earlier attempt (a worker killed mid-job) left is removed, but for
// the segments it had published, set aside in `.work/previous/` (previous.ts) — and
// works in `.work/<attempt>/`, a dot-folder the stream route never serves.
import { type FSWatcher, watch } from 'node:fs'
import { mkdir, readdir, rm, rmdir } from 'node:fs/promises'
import { join } from 'node:path'
import { isSourceFileName, playlistNames, subtitlesFolderName, subtitleVttName } from '../hls/layout'
import { previousFolderName } from './previous'
import { MediaRejected } from './probe'

export const workFolderName = '.work'

// Keeps the upload, the subtitle tracks people added (listed in the media row) and
// `keptNames`; removes every other file. Returns the source's path.
export async function cleanMediaFolder(folder: string, keptSubtitleLangs: string[], keptNames: string[] = []): Promise<string> {
  const entries = await readdir(folder).catch(() => [] as string[])
  const source = entries.find(isSourceFileName)
  if (!source) throw new MediaRejected('source_missing')
  const kept = new Set([source, subtitlesFolderName, ...keptSubtitleLangs.map(playlistNames.subtitles), ...keptNames])
  await Promise.all(entries.filter(name => !kept.has(name)).map(name => rm(join(folder, name), { recursive: true, force: true })))
  const keptVtt = new Set(keptSubtitleLangs.map(subtitleVttName))
  const subtitleFiles = await readdir(join(folder, subtitlesFolderName)).catch(() => [] as string[])
  const strays = subtitleFiles.filter(name => !keptVtt.has(name))
  await Promise.all(strays.map(name => rm(join(folder, subtitlesFolderName, name), { force: true })))
  return join(folder, source)
}

// `.work/<attempt>/` with one folder per rendition and one for subtitles.
export async function makeWorkFolder(folder: string, attempt: number, renditionNames: string[]): Promise<string> {
  const workDir = join(folder, workFolderName, String(attempt))
  // Not recursive: a media folder deleted meanwhile must stay deleted (ENOENT here).
  await mkdir(join(folder, workFolderName)).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error
  })
  await mkdir(workDir)
  await Promise.all([...renditionNames, subtitlesFolderName].map(name => mkdir(join(workDir, name))))
  return workDir
}

// This attempt's work folder, what it set aside of the previous one's, and `.work` itself
// once no other attempt uses it.
export async function removeWorkFolder(folder: string, workDir: string): Promise<void> {
  await rm(workDir, { recursive: true, force: true })
  await rm(join(folder, workFolderName, previousFolderName), { recursive: true, force: true })
  await rmdir(join(folder, workFolderName)).catch(() => {})
}

// Tells when ffmpeg rewrites a playlist in the work folder (it renames a finished
// `.m3u8.tmp` into place), so segments are published the moment they are listed.
// Folders where change events do not arrive (some network filesystems) are still polled.
export function watchPlaylists(workDir: string) {
  let isChanged = false
  let wake: (() => void) | null = null
  const notify = () => {
    isChanged = true
    wake?.()
    wake = null
  }
  let watcher: FSWatcher | null = null
  try {
    watcher = watch(workDir, (_event, name) => name?.endsWith('.m3u8') && notify())
    watcher.on('error', () => watcher?.close())
  } catch {
    watcher = null
  }
  return {
    // Resolves once a playlist changed since the last `take()`.
    changed: () => (isChanged ? Promise.resolve() : new Promise<void>(resolve => (wake = resolve))),
    // Call just before reading the playlists: later changes count for the next round.
    take: () => {
      isChanged = false
    },
    close: () => watcher?.close(),
  }
}
