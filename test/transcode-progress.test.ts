// The percent a processing video shows moves while it is transcoded, not only at the end.
// ffmpeg holds back its own progress reports until every output has begun, and the seek-bar
// preview sheets begin only once a sheet is full: for most videos that is the end. The
// worker also counts the video it has published.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { join } from 'node:path'
import { sourcesFolder, startTranscodeServer, type TranscodeServer, enqueueSource } from './helpers/transcode-server'
import { isFinished, makeSource, mediaRow } from './helpers/transcode'

let at: TranscodeServer
const folder = sourcesFolder('mp-progress-')

beforeAll(async () => {
  at = await startTranscodeServer()
})
afterAll(async () => {
  at?.close()
  await at?.server.stop()
})

test('a processing video reports a percent between the start and the end, never going back', async () => {
  // Noise makes every frame expensive: the encode takes several seconds on any machine.
  const source = await makeSource(join(folder, 'long.mp4'), {
    width: 1280,
    height: 720,
    durationSec: 16,
    videoFilter: 'noise=alls=40:allf=t',
  })
  const { mediaId } = await enqueueSource(at, source)
  const seen: number[] = []
  for (const deadline = Date.now() + 180_000; Date.now() < deadline; await Bun.sleep(100)) {
    const row = await mediaRow(at.db, mediaId)
    if (isFinished(row)) break
    if (row?.status === 'processing') seen.push(row.progress)
  }
  expect((await mediaRow(at.db, mediaId))?.status).toBe('ready')
  expect(seen.some(progress => progress > 0.05 && progress < 0.9)).toBe(true)
  expect(seen).toEqual([...seen].sort((a, b) => a - b))
}, 200_000)
