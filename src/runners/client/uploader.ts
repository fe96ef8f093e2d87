// Sends what ffmpeg writes in the job folder to the origin, in the order the origin can
// trust: a segment once ffmpeg's playlist lists it (ffmpeg lists a file only after closing
// it), then that playlist, exactly the text that was read. When a command exits, every file
// it wrote that is new or changed goes too, playlists last. Files are named relative to
// the job folder, which stands for the origin's media folder (`.work/2/stream_0/data0001.ts`).
import { readdir, readFile, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { mediaPlaceholder, outputExtensions, workFolderName } from '../protocol'

const uploadedExtensions = new RegExp(`\\.(${outputExtensions.join('|')})$`)
const isPlaylist = (path: string) => path.endsWith('.m3u8')

export type SendFile = (path: string, bytes: Uint8Array<ArrayBuffer>) => Promise<void>

// The files one command writes, from its arguments: every `{media}/…` path that is not an
// input, with ffmpeg's `%04d` and `%v` patterns read as "any number" and "any name".
export function outputsOf(args: string[]): (path: string) => boolean {
  const patterns = args
    .filter((arg, i) => arg.startsWith(`${mediaPlaceholder}/`) && args[i - 1] !== '-i')
    .map(arg => {
      const escaped = arg.slice(mediaPlaceholder.length + 1).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      return new RegExp(`^${escaped.replace(/%0?\d*d/g, '\\d+').replace(/%v/g, '[^/]+')}$`)
    })
  return path => patterns.some(pattern => pattern.test(path))
}

// Segment names a playlist lists. ffmpeg's segment list names `<name>/dataNNNN.ts` by its
// file name alone, next to `<name>.m3u8`.
function listedSegments(playlistPath: string, text: string): string[] {
  const folder = join(dirname(playlistPath), basename(playlistPath, '.m3u8'))
  return text
    .split('\n')
    .map(line => line.trim())
    .filter(line => line !== '' && !line.startsWith('#'))
    .map(uri => join(folder, basename(uri)))
}

async function filesUnder(root: string, folder: string): Promise<string[]> {
  const entries = await readdir(join(root, folder), { withFileTypes: true }).catch(() => [])
  const nested = await Promise.all(
    entries.map(entry => (entry.isDirectory() ? filesUnder(root, join(folder, entry.name)) : [join(folder, entry.name)])),
  )
  return nested.flat()
}

export function createUploader(jobDir: string, send: SendFile) {
  // What was sent last under each name: size and time for a file, the text for a playlist.
  const sent = new Map<string, string>()

  async function uploadFile(path: string) {
    const info = await stat(join(jobDir, path))
    const signature = `${info.size}:${info.mtimeMs}`
    if (sent.get(path) === signature) return
    await send(path, await readFile(join(jobDir, path)))
    sent.set(path, signature)
  }

  async function uploadPlaylist(path: string) {
    const text = await readFile(join(jobDir, path), 'utf8').catch(() => null)
    if (text === null || sent.get(path) === text) return
    for (const segment of listedSegments(path, text)) await uploadFile(segment)
    await send(path, new TextEncoder().encode(text))
    sent.set(path, text)
  }

  async function ownFiles(owns: (path: string) => boolean) {
    const files = await filesUnder(jobDir, workFolderName)
    return files.filter(path => owns(path) && uploadedExtensions.test(path))
  }

  return {
    // While the command runs: its playlists and the segments they list.
    async uploadListed(owns: (path: string) => boolean) {
      for (const path of (await ownFiles(owns)).filter(isPlaylist)) await uploadPlaylist(path)
    },
    // Once it has exited: everything it wrote, playlists last.
    async uploadAll(owns: (path: string) => boolean) {
      const files = await ownFiles(owns)
      for (const path of files.filter(path => !isPlaylist(path)).sort()) await uploadFile(path)
      for (const path of files.filter(isPlaylist)) await uploadPlaylist(path)
    },
  }
}
