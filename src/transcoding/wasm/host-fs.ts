// A folder of the host, seen by the WebAssembly ffmpeg at the same path: reads and writes go
// straight to disk with node:fs, a piece at a time, so neither a 10 GB source nor the
// segments ffmpeg writes are ever held whole in the instance's memory. The build of
// @ffmpeg/core has MEMFS and WORKERFS only (WORKERFS needs the browser's FileReaderSync);
// this is Emscripten's NODEFS (src/library_nodefs.js) cut down to what ffmpeg does: open,
// read, write, seek, stat, list, make folders and files, rename, remove.
import {
  closeSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmdirSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
  writeSync,
  fstatSync,
} from 'node:fs'
import { join } from 'node:path'

// The parts of Emscripten's FS object this file uses.
export type EmscriptenFs = {
  createNode: (parent: FsNode | null, name: string, mode: number, dev?: number) => FsNode
  isDir: (mode: number) => boolean
  isFile: (mode: number) => boolean
  ErrnoError: new (errno: number) => Error
  mkdir: (path: string) => void
  mount: (type: unknown, opts: { root: string }, mountpoint: string) => void
}

export type FsNode = {
  name: string
  mode: number
  parent: FsNode
  mount: { opts: { root: string } }
  node_ops: unknown
  stream_ops: unknown
}

type FsStream = { node: FsNode; flags: number; position: number; nfd?: number }

// Emscripten's (musl's) errno numbers, which differ from Linux's.
const errnoOf: Record<string, number> = {
  EACCES: 2,
  EBADF: 8,
  EEXIST: 20,
  EINVAL: 28,
  EIO: 29,
  EISDIR: 31,
  ENOENT: 44,
  ENOSPC: 51,
  ENOTDIR: 54,
  ENOTEMPTY: 55,
  EPERM: 63,
  EXDEV: 75,
}
// open(2) flags that only concern the C library (O_LARGEFILE, O_CLOEXEC, O_DIRECTORY,
// O_NONBLOCK): node:fs refuses or ignores them. The rest have Linux's values in musl.
const ignoredOpenFlags = 0o100000 | 0o2000000 | 0o200000 | 0o4000
const seekCurrent = 1
const seekEnd = 2

export function createHostFs(FS: EmscriptenFs) {
  const fail = (error: unknown): never => {
    const code = (error as NodeJS.ErrnoException).code
    if (!code) throw error
    throw new FS.ErrnoError(errnoOf[code] ?? errnoOf.EIO)
  }
  const hostPath = (node: FsNode): string => {
    const names: string[] = []
    for (let at = node; at.parent !== at; at = at.parent) names.unshift(at.name)
    return join(node.mount.opts.root, ...names)
  }
  const modeOf = (path: string): number => {
    try {
      return lstatSync(path).mode
    } catch (error) {
      return fail(error)
    }
  }
  const guarded =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    (...args: A): R => {
      try {
        return fn(...args)
      } catch (error) {
        if (error instanceof FS.ErrnoError) throw error
        return fail(error)
      }
    }

  const nodeOps = {
    getattr: guarded((node: FsNode) => {
      const stat = lstatSync(hostPath(node))
      const { dev, ino, mode, nlink, uid, gid, rdev, size, atime, mtime, ctime, blksize, blocks } = stat
      return { dev, ino, mode, nlink, uid, gid, rdev, size, atime, mtime, ctime, blksize, blocks }
    }),
    setattr: guarded((node: FsNode, attr: { size?: number }) => {
      if (attr.size !== undefined) truncateSync(hostPath(node), attr.size)
    }),
    lookup: (parent: FsNode, name: string) => createNode(parent, name, modeOf(join(hostPath(parent), name))),
    mknod: guarded((parent: FsNode, name: string, mode: number) => {
      const node = createNode(parent, name, mode)
      if (FS.isDir(mode)) mkdirSync(hostPath(node))
      else writeFileSync(hostPath(node), '', { flag: 'wx' })
      return node
    }),
    rename: guarded((node: FsNode, newParent: FsNode, newName: string) => {
      renameSync(hostPath(node), join(hostPath(newParent), newName))
      node.name = newName
    }),
    unlink: guarded((parent: FsNode, name: string) => unlinkSync(join(hostPath(parent), name))),
    rmdir: guarded((parent: FsNode, name: string) => rmdirSync(join(hostPath(parent), name))),
    readdir: guarded((node: FsNode) => ['.', '..', ...readdirSync(hostPath(node))]),
  }

  const streamOps = {
    open: guarded((stream: FsStream) => {
      if (FS.isFile(stream.node.mode)) stream.nfd = openSync(hostPath(stream.node), stream.flags & ~ignoredOpenFlags)
    }),
    close: guarded((stream: FsStream) => {
      if (stream.nfd !== undefined) closeSync(stream.nfd)
    }),
    read: guarded((stream: FsStream, buffer: Uint8Array, offset: number, length: number, position: number) =>
      length === 0 ? 0 : readSync(stream.nfd as number, buffer, offset, length, position),
    ),
    write: guarded((stream: FsStream, buffer: Uint8Array, offset: number, length: number, position: number) =>
      writeSync(stream.nfd as number, buffer, offset, length, position),
    ),
    llseek: guarded((stream: FsStream, offset: number, whence: number) => {
      let position = offset
      if (whence === seekCurrent) position += stream.position
      else if (whence === seekEnd && stream.nfd !== undefined) position += fstatSync(stream.nfd).size
      if (position < 0) throw new FS.ErrnoError(errnoOf.EINVAL)
      return position
    }),
  }

  function createNode(parent: FsNode | null, name: string, mode: number): FsNode {
    if (!FS.isDir(mode) && !FS.isFile(mode)) throw new FS.ErrnoError(errnoOf.EINVAL)
    const node = FS.createNode(parent, name, mode)
    node.node_ops = nodeOps
    node.stream_ops = streamOps
    return node
  }

  return { mount: (mount: { opts: { root: string } }) => createNode(null, '/', modeOf(mount.opts.root)) }
}
