// What a runner uploads: one file ffmpeg wrote, into this attempt's `.work/<attempt>/`.
// The name is checked against the layout before a byte is read, so nothing a runner sends
// lands outside its job's work folder. The body goes to a temporary file beside the
// target, is fsync'ed and only then renamed into place (the attempt code publishes a
// segment once its playlist lists it: it must be whole by then). The same bytes twice are
// fine; other bytes for a file already received are refused, but for ffmpeg's working
// playlists, which grow.
import { lstat, open, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { AppError, badRequest, payloadTooLarge } from '../http/errors'
import { bodyChunks } from '../uploads/file-writer'
import { syncFolder } from '../uploads/storage'
import { type FileStored, isReplaceableOutput, maxOutputDepth, outputExtensions, outputNamePart, workFolderName } from './protocol'
import type { RunnerSession } from './sessions'

const invalidName = (message: string) => badRequest('invalid_output_name', message)

// The parts of `path` (relative to the media folder) if it names a file this attempt may write.
export function outputPathParts(path: string, attempt: number): string[] {
  const parts = path.split('/')
  const [work, attemptPart, ...inside] = parts
  if (work !== workFolderName || attemptPart !== String(attempt))
    throw invalidName(`Outputs go into ${workFolderName}/${attempt}/ (this attempt's work folder)`)
  if (inside.length < 1 || inside.length > maxOutputDepth)
    throw invalidName(`An output is at most ${maxOutputDepth} levels below ${workFolderName}/${attempt}/`)
  if (!inside.every(part => outputNamePart.test(part)))
    throw invalidName('Each part of an output name is letters, digits, _ . - (not first) and at most 80 characters')
  const extension = (inside.at(-1) ?? '').split('.').pop() ?? ''
  if (!inside.at(-1)?.includes('.') || !(outputExtensions as readonly string[]).includes(extension))
    throw invalidName(`An output ends in .${outputExtensions.join(', .')}`)
  return parts
}

// The folder must be one the origin made (a real folder, no link); the target no folder or link.
async function checkOnDisk(folder: string, parts: string[]): Promise<string> {
  const parent = await lstat(join(folder, ...parts.slice(0, -1))).catch(() => null)
  if (!parent?.isDirectory()) throw invalidName(`No folder ${parts.slice(0, -1).join('/')} in this attempt's work folder`)
  const target = join(folder, ...parts)
  const existing = await lstat(target).catch(() => null)
  if (existing && !existing.isFile()) throw invalidName(`${parts.join('/')} is not a file`)
  return target
}

const overBudget = (session: RunnerSession) =>
  payloadTooLarge(`This job may upload at most ${session.uploadLimitBytes} bytes; ${session.receivedBytes} were received`)

// Streams the body into `tempPath`, fsync'ed; its SHA-256 and size.
async function receiveBody(session: RunnerSession, body: ReadableStream<Uint8Array> | null, tempPath: string) {
  const hasher = new Bun.CryptoHasher('sha256')
  const handle = await open(tempPath, 'wx', 0o644)
  let sizeBytes = 0
  try {
    if (body)
      for await (const chunk of bodyChunks(body)) {
        session.receivedBytes += chunk.byteLength
        if (session.receivedBytes > session.uploadLimitBytes) throw overBudget(session)
        hasher.update(chunk)
        await handle.write(chunk)
        sizeBytes += chunk.byteLength
      }
    await handle.sync()
  } finally {
    await handle.close()
  }
  return { sha256: hasher.digest('hex'), sizeBytes }
}

// Stores one uploaded file; `isNew` says whether it was not there before (201) or the same
// bytes or a grown playlist (200).
export async function receiveOutput(
  session: RunnerSession,
  upload: { path: string; body: ReadableStream<Uint8Array> | null; contentLength: string | null },
): Promise<{ stored: FileStored; isNew: boolean }> {
  const parts = outputPathParts(upload.path, session.attempt)
  const target = await checkOnDisk(session.folder, parts)
  const declared = Number(upload.contentLength ?? 0)
  if (session.receivedBytes + declared > session.uploadLimitBytes) throw overBudget(session)
  const tempPath = join(session.folder, ...parts.slice(0, -1), `.${parts.at(-1)}.${crypto.randomUUID().slice(0, 8)}.part`)
  try {
    const { sha256, sizeBytes } = await receiveBody(session, upload.body, tempPath)
    const stored = { path: upload.path, sizeBytes, sha256 }
    const before = session.received.get(upload.path)
    if (before === sha256) return { stored, isNew: false }
    if (before !== undefined && !isReplaceableOutput(upload.path))
      throw new AppError('output_conflict', `${upload.path} was received before with other bytes`)
    if (session.isOver) throw new AppError('job_gone', 'The job is no longer yours')
    // Claimed before the rename: a second upload of the name racing this one is compared
    // with these bytes, never renamed over them.
    session.received.set(upload.path, sha256)
    try {
      await rename(tempPath, target)
      await syncFolder(join(session.folder, ...parts.slice(0, -1)))
    } catch (error) {
      if (before === undefined) session.received.delete(upload.path)
      else session.received.set(upload.path, before)
      throw error
    }
    return { stored, isNew: before === undefined }
  } finally {
    await rm(tempPath, { force: true })
  }
}
