// ffmpeg's segment lists, which the worker publishes from (src/transcoding/outputs.ts):
// a segment named in a list must be whole at that moment, since the worker measures it
// and moves it into the served folder then. Checked by watching the lists of a real
// encode the way the worker does, and looking at each new segment's size at once.
import { afterAll, expect, setDefaultTimeout, test } from 'bun:test'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, watch } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { probeSource } from '../src/transcoding/probe'
import { buildTranscodeArgs } from '../src/transcoding/args'
import { planTranscode } from '../src/transcoding/plan'
import { makeSource } from './helpers/transcode'

setDefaultTimeout(120_000)
const dir = mkdtempSync(join(tmpdir(), 'moviepoint-segment-lists-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// Sizes of the segments each list names, read the moment the list appears.
function sizesWhenListed(workDir: string, names: string[]) {
  const sizes = new Map<string, number>()
  const look = () => {
    for (const name of names) {
      const list = join(workDir, `${name}.m3u8`)
      if (!existsSync(list)) continue
      for (const line of readFileSync(list, 'utf8').split('\n'))
        if (line.endsWith('.ts') && !sizes.has(`${name}/${line}`)) sizes.set(`${name}/${line}`, statSync(join(workDir, name, line)).size)
    }
  }
  const watcher = watch(workDir, (_event, file) => file?.endsWith('.m3u8') && look())
  const stop = () => {
    watcher.close()
    look()
  }
  return { sizes, stop }
}

test('a segment is named in its list only once it is completely written', async () => {
  const source = await makeSource(join(dir, 'source.mp4'), { width: 320, height: 180, durationSec: 60 })
  const plan = planTranscode(source, await probeSource({ ffprobePath: 'ffprobe', path: source }))
  const workDir = join(dir, 'work')
  const names = [...plan.rungs.map((_, i) => `stream_${i}`), ...plan.audio.map(track => `audio_${track.key}`)]
  for (const name of [...names, 'subs']) mkdirSync(join(workDir, name), { recursive: true })
  const listed = sizesWhenListed(workDir, names)
  const args = buildTranscodeArgs({ plan, encoder: { preset: 'ultrafast', crf: 23 }, workDir })
  const ffmpeg = Bun.spawn(['ffmpeg', ...args], { stdout: 'ignore', stderr: 'ignore' })
  expect(await ffmpeg.exited).toBe(0)
  listed.stop()
  // One rung and the audio, of 11 segments each (2, 4, then 6 s).
  expect(listed.sizes.size).toBe(22)
  const grown = [...listed.sizes].filter(([segment, size]) => statSync(join(workDir, segment)).size !== size)
  expect(grown).toEqual([])
})
