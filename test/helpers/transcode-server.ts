// What the transcoding tests start from (transcode, copy-top-rung, wasm-transcode): a real
// server whose worker transcodes, its database opened, an owner signed up, a folder for the
// sources they generate, and a source taken through the worker to the end.
import { afterAll } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { signUp } from './client'
import { type TestServer, startServer } from './server'
import { createMovie, enqueueSourceFile, isFinished, openServerDb, type TestDb, waitForJobLine, waitForMedia } from './transcode'

export type TranscodeServer = { server: TestServer; db: TestDb; ownerId: number; close: () => void }

// One worker unless `ini` says otherwise. `close` closes the test's database connection;
// the server is stopped by its own `stop`.
export async function startTranscodeServer(
  options: { ini?: Record<string, string | number>; env?: Record<string, string> } = {},
): Promise<TranscodeServer> {
  const server = await startServer({ ini: { Workers: 1, ...options.ini }, env: options.env })
  const ownerId = (await signUp(server.url)).userId
  const { db, client } = openServerDb(server)
  return { server, db, ownerId, close: () => client.close() }
}

// A new folder for the file's generated sources, removed after its tests.
export function sourcesFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix))
  afterAll(() => rmSync(folder, { recursive: true, force: true }))
  return folder
}

type Owner = Omit<TranscodeServer, 'close'>

// A media of a new movie, queued with `sourcePath` as a finished upload leaves it.
export async function enqueueSource(at: Owner, sourcePath: string) {
  const titleId = await createMovie(at.db, at.ownerId)
  const mediaId = await enqueueSourceFile(at.server, at.db, { titleId, ownerId: at.ownerId, sourcePath })
  return { mediaId, titleId }
}

// …and taken through the worker: the row once ready or failed, the job's log line written.
export async function transcodeSource(at: Owner, sourcePath: string, options: { timeoutMs?: number } = {}) {
  const { mediaId, titleId } = await enqueueSource(at, sourcePath)
  const row = await waitForMedia(at.db, mediaId, isFinished, options.timeoutMs)
  await waitForJobLine(at.server, mediaId)
  return { mediaId, titleId, row }
}

// Where the server keeps a media's files.
export const mediaFolderOf = (server: TestServer, mediaId: number) => join(server.mediaDir, String(mediaId))
