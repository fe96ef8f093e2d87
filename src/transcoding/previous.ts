// The segments an earlier attempt published, kept aside while this attempt runs. Players,
// browsers and edges may hold them under the URIs they were listed by (served `immutable`),
// so a segment this attempt reproduces byte for byte goes back out as the same file (same
// mtime, same ETag) under the same URI, and any other is listed by a URI of its own:
// `<rendition>/dataNNNN.ts?a=<publication>`, the number of this attempt among all that
// started publishing for the media (jobs.ts, startPublication; the first keeps the plain
// name). That count never repeats, unlike a job's attempt number (a clean shutdown does not
// count its attempt; a failed video retried gets a fresh job): an earlier publication whose
// files were withdrawn, so that nothing is compared, still had other URIs. A URI thus always
// means one set of bytes. The set-aside files wait in `.work/previous/`, never served, and
// go with the work folder.
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { isSegmentFileName, masterFileName, publicationUri } from '../hls/layout'
import { parseMediaPlaylist } from '../hls/playlists'
import type { Fence } from './jobs'

export const previousFolderName = 'previous'

// For each rendition, its set-aside segments by file name: where the file is now and the
// URI it was listed by (relative to its rendition folder, query included: `data0003.ts?a=2`).
export type PreviousSegments = Map<string, Map<string, { path: string; uri: string }>>

// Served media playlists (`stream_0.m3u8`, `audio_en.m3u8`; not the master nor subtitles').
const isRenditionPlaylist = (name: string) => name.endsWith('.m3u8') && name !== masterFileName && !name.startsWith('subs_')

// The segments a served media playlist lists: file → URI (relative to the rendition folder).
async function listedSegments(folder: string, renditionPlaylist: string): Promise<Map<string, string>> {
  const rendition = renditionPlaylist.slice(0, -'.m3u8'.length)
  const text = await readFile(join(folder, renditionPlaylist), 'utf8').catch(() => '')
  const listed = new Map<string, string>()
  for (const { uri } of parseMediaPlaylist(text).segments) {
    const [path] = uri.split('?')
    const [parent, file, ...rest] = path.split('/')
    if (parent === rendition && rest.length === 0 && isSegmentFileName(file)) listed.set(file, uri.slice(parent.length + 1))
  }
  return listed
}

// Moves the segments the previous attempt listed into `<workRoot>/previous/<rendition>/`
// (made afresh: what an attempt before that set aside is dropped). Its playlists go first,
// so none lists a segment that is no longer served; the caller cleans the rest of the folder.
export async function setAsidePrevious(folder: string, workRoot: string): Promise<PreviousSegments> {
  const asideRoot = join(workRoot, previousFolderName)
  await rm(workRoot, { recursive: true, force: true })
  const entries = await readdir(folder).catch(() => [] as string[])
  const playlists = entries.filter(isRenditionPlaylist)
  const listed = await Promise.all(playlists.map(playlist => listedSegments(folder, playlist)))
  await Promise.all(playlists.map(playlist => rm(join(folder, playlist), { force: true })))
  const previous: PreviousSegments = new Map()
  if (listed.every(segments => segments.size === 0)) return previous
  // Not recursive: a media folder deleted meanwhile must stay deleted (ENOENT here).
  await mkdir(workRoot)
  await mkdir(asideRoot)
  for (const [i, playlist] of playlists.entries()) {
    const rendition = playlist.slice(0, -'.m3u8'.length)
    if (listed[i].size === 0) continue
    await mkdir(join(asideRoot, rendition))
    const aside = new Map<string, { path: string; uri: string }>()
    for (const [file, uri] of listed[i]) {
      const path = join(asideRoot, rendition, file)
      const isMoved = await rename(join(folder, rendition, file), path).then(
        () => true,
        () => false,
      )
      if (isMoved) aside.set(file, { path, uri })
    }
    previous.set(rendition, aside)
  }
  return previous
}

async function isSameBytes(a: string, b: string): Promise<boolean> {
  const [statA, statB] = await Promise.all([stat(a), stat(b)])
  if (statA.size !== statB.size) return false
  const [bytesA, bytesB] = await Promise.all([readFile(a), readFile(b)])
  return bytesA.equals(bytesB)
}

// Puts segment `file` of `rendition`, finished at `workPath`, at `target` and answers the URI
// to list it by (relative to its rendition folder): the previous attempt's file and URI when
// the bytes are the same, else the new file under this publication's URI. The moves wait
// for `fence` (the lease still held): comparing the bytes may take a while.
export async function placeSegment(
  previous: PreviousSegments,
  segment: { rendition: string; file: string; workPath: string; target: string; publication: number; fence: Fence },
): Promise<string> {
  const { rendition, file, workPath, target, publication, fence } = segment
  const aside = previous.get(rendition)?.get(file)
  previous.get(rendition)?.delete(file)
  const isKept = aside ? await isSameBytes(aside.path, workPath) : false
  await fence()
  if (aside && isKept) {
    await rename(aside.path, target)
    await rm(workPath, { force: true })
    return aside.uri
  }
  if (aside) await rm(aside.path, { force: true })
  await rename(workPath, target)
  return publicationUri(file, publication)
}
