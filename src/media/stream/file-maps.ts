// Memory maps of served files, for the answers Bun would read from disk every time.
//
// Bun sends a body of less than 1 MiB cut from a file by opening the file and reading
// that part into a new buffer, for every answer (open, fstat, pread, close, and fresh
// memory); bigger ones go out with sendfile. Audio segments, the low rungs, subtitles,
// posters and most range requests are that small. From a kept memory map they cost one
// socket write: the map's pages are the page cache itself, touched only when sent.
//
// Sound because a file of the layout never changes in place: the worker and the server
// write elsewhere and rename into place (a file cut short under a map would end the
// process with SIGBUS). Only on local disks: on shared storage (NFS, SMB, FUSE) a file
// removed by another machine (a worker retiring a replaced video) could fault under the
// map with the same SIGBUS, so there every answer goes through Bun.file, which merely
// fails that one request. Maps are private, so no write through one could reach the disk;
// each is tied to one version of its file (the caller's inode-size-mtime stamp); and one
// unused for a sweep period is let go, as nginx's open_file_cache does with `inactive`,
// so a deleted media's disk space comes back once Bun next collects (an idle Bun does
// within about 10 s).
import { statfsSync } from 'node:fs'
import { remember } from './remember'

// Below this, Bun reads a file body into memory rather than using sendfile.
export const sendfileMinBytes = 1024 * 1024

// statfs(2) magic numbers of the local filesystems a media folder is likely to be on: ext2-4,
// XFS, Btrfs, ZFS, tmpfs, F2FS, overlayfs, bcachefs, JFS, ReiserFS.
const localFilesystems = new Set([
  0xef53, 0x58465342, 0x9123683e, 0x2fc12fc1, 0x01021994, 0xf2f52010, 0x794c7630, 0xca451a4e, 0x3153464a, 0x52654973,
])

export function isOnLocalDisk(folder: string): boolean {
  return localFilesystems.has(statfsSync(folder).type)
}

type FileMap = { version: string; bytes: Uint8Array<ArrayBuffer> | null; isUsed: boolean }

// Empty files cannot be mapped, and Bun opens the file read-write to map it (a read-only
// disk, a file of another user): those answers simply go through Bun.file.
function mapped(path: string): Uint8Array<ArrayBuffer> | null {
  try {
    return Bun.mmap(path, { shared: false }) as Uint8Array<ArrayBuffer>
  } catch {
    return null
  }
}

export type MapOf = (path: string, version: string) => Uint8Array<ArrayBuffer> | null

export function fileMaps({ idleMs = 10_000, max = 1024 } = {}): MapOf {
  const maps = new Map<string, FileMap>()
  const sweep = setInterval(() => {
    for (const [path, map] of maps) {
      if (map.isUsed) map.isUsed = false
      else maps.delete(path)
    }
  }, idleMs)
  sweep.unref()
  return (path, version) => {
    const known = maps.get(path)
    if (known?.version === version) {
      known.isUsed = true
      return known.bytes
    }
    return remember(maps, path, { version, bytes: mapped(path), isUsed: true }, max).bytes
  }
}
