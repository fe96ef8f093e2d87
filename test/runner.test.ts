// Remote runners speak plain HTTP only (issue 14): the origin runs with `Workers=0` and
// listens on one end of a veth pair; the runner runs in its own network namespace at the
// other end, in its own mount namespace where the origin's folder (database file, media
// folder) is covered by an empty tmpfs. Whatever it transcodes, it got over HTTP.
//
// Needs root and `ip`/`unshare`/`mount` (CI has them); without, each test skips with the
// reason printed. Leases are short (3 s, renewed every 0.5 s) so that a killed runner's job
// goes back to the queue quickly.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Subprocess } from 'bun'
import { downloadSource, sourceFileName } from '../src/runners/client/download'
import { createRegistrationToken } from '../src/runners/tokens'
import { addTitle } from './helpers/catalogue'
import { type Client, signUp } from './helpers/client'
import { servedText } from './helpers/hls-checks'
import { createTusUpload, patchUpload, until } from './helpers/media'
import { parseMasterPlaylist } from './helpers/playlists'
import { repoRoot, type TestServer, startServer } from './helpers/server'
import {
  ffmpegProcessesFor,
  isFinished,
  jobRows,
  makeSource,
  mediaRow,
  openServerDb,
  type TestDb,
  waitForMedia,
} from './helpers/transcode'
import { parseMediaPlaylist } from '../src/hls/playlists'

setDefaultTimeout(120_000)

// One namespace and one veth pair per run, named and addressed at random so that two runs
// on one machine do not meet.
const tag = crypto.randomUUID().replaceAll('-', '').slice(0, 6)
const namespace = `mprun-${tag}`
const hostLink = `mpr${tag}h`
const runnerLink = `mpr${tag}r`
const subnet = `10.${200 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 256)}.${4 * Math.floor(Math.random() * 63)}`
const [a, b, c, d] = subnet.split('.').map(Number)
const hostAddress = `${a}.${b}.${c}.${d + 1}`
const runnerAddress = `${a}.${b}.${c}.${d + 2}`

function sh(command: string[]): string | null {
  const result = Bun.spawnSync(command, { stdout: 'pipe', stderr: 'pipe' })
  return result.exitCode === 0 ? null : `${command.join(' ')}: ${result.stderr.toString().trim()}`
}

// Makes the namespace and the link; the reason it cannot, or null.
function makeNetwork(): string | null {
  if (process.platform !== 'linux') return 'network namespaces are Linux only'
  if (process.getuid?.() !== 0) return 'not root: cannot make a network namespace'
  const missing = ['ip', 'unshare', 'mount'].find(tool => !Bun.which(tool))
  if (missing) return `${missing} not found`
  const steps = [
    ['ip', 'netns', 'add', namespace],
    ['ip', 'link', 'add', hostLink, 'type', 'veth', 'peer', 'name', runnerLink],
    ['ip', 'link', 'set', runnerLink, 'netns', namespace],
    ['ip', 'addr', 'add', `${hostAddress}/30`, 'dev', hostLink],
    ['ip', 'link', 'set', hostLink, 'up'],
    ['ip', 'netns', 'exec', namespace, 'ip', 'addr', 'add', `${runnerAddress}/30`, 'dev', runnerLink],
    ['ip', 'netns', 'exec', namespace, 'ip', 'link', 'set', runnerLink, 'up'],
    ['ip', 'netns', 'exec', namespace, 'ip', 'link', 'set', 'lo', 'up'],
  ]
  for (const step of steps) {
    const problem = sh(step)
    if (problem) return problem
  }
  return null
}

function removeNetwork() {
  sh(['ip', 'link', 'del', hostLink])
  sh(['ip', 'netns', 'del', namespace])
}

const skipReason = makeNetwork()
if (skipReason) {
  console.log(`test/runner.test.ts skipped: ${skipReason}`)
  removeNetwork()
}

const sources = mkdtempSync(join(tmpdir(), 'moviepoint-runner-sources-'))
const runnerDirs: string[] = []
const runners: Subprocess[] = []
let server: TestServer
let db: TestDb
let owner: Client & { userId: number }
let registrationToken: string
// 10 s, two audio languages and Russian subtitles; 20 s of 720p, long enough to be stopped in the middle.
let clip: string
let long: string

beforeAll(async () => {
  if (skipReason) return
  server = await startServer({
    ini: { Host: hostAddress, Workers: 0 },
    env: {
      MOVIEPOINT_X264_PRESET: 'superfast',
      MOVIEPOINT_JOB_LEASE_MS: '3000',
      MOVIEPOINT_JOB_HEARTBEAT_MS: '500',
      MOVIEPOINT_JOB_POLL_MS: '200',
    },
  })
  owner = await signUp(server.url)
  db = openServerDb(server).db
  registrationToken = (await createRegistrationToken(db, { label: 'runner test', createdBy: null })).token
  clip = await makeSource(join(sources, 'two-languages.mkv'), {
    width: 640,
    height: 360,
    durationSec: 10,
    audio: ['eng', 'rus'],
    subtitles: { rus: '1\n00:00:01,000 --> 00:00:03,000\nС бегуна\n\n' },
  })
  long = await makeSource(join(sources, 'long.mkv'), { width: 1280, height: 720, durationSec: 20, audio: ['eng'] })
})

async function stopRunners() {
  for (const runner of runners) runner.kill('SIGKILL')
  await Promise.all(runners.map(runner => runner.exited))
}

afterAll(async () => {
  await stopRunners()
  if (server) await server.stop()
  removeNetwork()
  for (const dir of [sources, ...runnerDirs]) rmSync(dir, { recursive: true, force: true })
})

type StartedRunner = { process: Subprocess; dir: string; output: () => string }

// `bun run runner` inside the namespace, with the origin's folder covered by an empty tmpfs;
// it first says whether the database file and the media folder can be seen.
function startRunner(name: string): StartedRunner {
  const dir = mkdtempSync(join(tmpdir(), 'moviepoint-runner-'))
  runnerDirs.push(dir)
  const databaseFile = join(server.mediaDir, 'moviepoint.db')
  const script = [
    `mount -t tmpfs none '${server.dir}'`,
    `if [ -e '${databaseFile}' ] || [ -e '${server.mediaDir}' ]; then echo 'origin files: visible'; else echo 'origin files: hidden'; fi`,
    `exec bun workers/runner.ts --server '${server.url}' --token '${registrationToken}' --name '${name}' --dir '${dir}'`,
  ].join(' && ')
  const child = Bun.spawn(['ip', 'netns', 'exec', namespace, 'unshare', '--mount', 'sh', '-c', script], {
    cwd: repoRoot,
    stdout: 'pipe',
    stderr: 'pipe',
  })
  runners.push(child)
  let output = ''
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    const reader = stream.getReader()
    const decoder = new TextDecoder()
    for (let next = await reader.read(); !next.done; next = await reader.read()) output += decoder.decode(next.value, { stream: true })
  }
  void collect(child.stdout as ReadableStream<Uint8Array>)
  void collect(child.stderr as ReadableStream<Uint8Array>)
  return { process: child, dir, output: () => output }
}

// A real tus upload of `path` to a new movie; its media id.
async function upload(path: string, name: string): Promise<number> {
  const title = await addTitle(owner, { name })
  const bytes = new Uint8Array(await readFile(path))
  const created = await createTusUpload(owner, { length: bytes.length, target: `title:${title.id}`, filename: `${name}.mkv` })
  expect(created.status).toBe(201)
  const patched = await patchUpload(owner, created.headers.get('location') as string, 0, bytes)
  expect(patched.status).toBe(204)
  return Number(created.headers.get('media-id'))
}

// Ready, and playable as a player plays it: the master, every media playlist it names,
// and their first and last segments.
async function expectPlayable(mediaId: number, languages: string[]) {
  const master = parseMasterPlaylist(await servedText(server, mediaId, 'master.m3u8'))
  expect(master.media.filter(entry => entry.TYPE === 'AUDIO').map(entry => entry.LANGUAGE)).toEqual(languages)
  const audio = master.media.filter(entry => entry.TYPE === 'AUDIO').map(entry => entry.URI)
  for (const playlist of [...master.variants.map(variant => variant.uri), ...audio]) {
    const { segments } = parseMediaPlaylist(await servedText(server, mediaId, playlist))
    expect(segments.length).toBeGreaterThan(0)
    for (const segment of [segments[0], segments.at(-1)]) {
      const answer = await fetch(`${server.url}/media/${mediaId}/${segment?.uri}`)
      expect(answer.status).toBe(200)
      expect(answer.headers.get('content-type')).toBe('video/mp2t')
      expect((await answer.arrayBuffer()).byteLength).toBeGreaterThan(0)
    }
  }
  return master
}

// Mid-job: the first segments were uploaded and published, the rest are still to come. (Not
// `progress > 0`: ffmpeg holds back its first progress report until every output has begun,
// and the preview sheets' output begins only when a sheet is full, here at the end.)
async function isUnderWay(mediaId: number): Promise<boolean> {
  const row = await mediaRow(db, mediaId)
  return row.isPlayable && row.status === 'processing'
}

// The segments the served media playlists list now, by URI: their file's mtime and bytes.
async function listedSegmentFiles(mediaId: number): Promise<Map<string, { mtimeMs: number; sha256: string }>> {
  const folder = join(server.mediaDir, String(mediaId))
  const found = new Map<string, { mtimeMs: number; sha256: string }>()
  for (const name of readdirSync(folder).filter(name => /^(stream|audio)_.+\.m3u8$/.test(name))) {
    for (const { uri } of parseMediaPlaylist(await readFile(join(folder, name), 'utf8')).segments) {
      const path = join(folder, uri.split('?')[0])
      const sha256 = new Bun.CryptoHasher('sha256').update(await readFile(path)).digest('hex')
      found.set(uri, { mtimeMs: statSync(path).mtimeMs, sha256 })
    }
  }
  return found
}

const runnerLine = (mediaId: number) => new RegExp(`^job \\d+ media ${mediaId} attempt \\d+: .*$`, 'm')

describe('a runner in its own network namespace, without the database or the media folder', () => {
  test.skipIf(Boolean(skipReason))('transcodes an upload with two audio languages over HTTP: ready and playable', async () => {
    const first = startRunner('first')
    await until(() => /runner first \(#\d+\) ready/.test(first.output()), 30_000)
    expect(first.output()).toContain('origin files: hidden')
    expect(statSync(join(first.dir, 'runner.json')).mode & 0o777).toBe(0o600)

    const mediaId = await upload(clip, 'Two languages')
    const row = await waitForMedia(db, mediaId, isFinished, 60_000)
    expect({ status: row.status, error: row.error }).toEqual({ status: 'ready', error: null })
    expect(row.audio.map(track => track.lang)).toEqual(['en', 'ru'])
    const master = await expectPlayable(mediaId, ['en', 'ru'])
    // What ffmpeg wrote beside the segments came too: subtitles, poster.
    const subtitles = master.media.filter(entry => entry.TYPE === 'SUBTITLES')
    expect(subtitles.map(entry => entry.LANGUAGE)).toEqual(['ru'])
    const [cue] = parseMediaPlaylist(await servedText(server, mediaId, subtitles[0].URI)).segments
    expect(await servedText(server, mediaId, cue.uri)).toContain('С бегуна')
    expect((await fetch(`${server.url}/media/${mediaId}/poster.jpg`)).status).toBe(200)
    expect(await until(() => runnerLine(mediaId).exec(first.output())?.[0])).toMatch(/: done in /)
    // The job folder and the source are gone from the runner once it is done.
    expect(Bun.spawnSync(['find', first.dir, '-type', 'f']).stdout.toString().trim().split('\n')).toEqual([
      join(first.dir, 'runner.json'),
    ])
  })

  test.skipIf(Boolean(skipReason))('a runner killed with kill -9 mid-job: a second runner takes the job, ready', async () => {
    await stopRunners()
    const doomed = startRunner('doomed')
    await until(() => /runner doomed \(#\d+\) ready/.test(doomed.output()), 30_000)
    const mediaId = await upload(long, 'Killed runner')
    await until(() => isUnderWay(mediaId), 60_000, 20)
    doomed.process.kill('SIGKILL')
    await doomed.process.exited
    expect((await mediaRow(db, mediaId)).status).toBe('processing')
    const published = await listedSegmentFiles(mediaId)
    expect(published.size).toBeGreaterThan(0)
    // Its ffmpeg dies with it (setpriv's parent-death signal).
    await until(() => ffmpegProcessesFor(doomed.dir).length === 0, 10_000)

    const second = startRunner('second')
    const row = await waitForMedia(db, mediaId, isFinished, 90_000)
    expect({ status: row.status, error: row.error }).toEqual({ status: 'ready', error: null })
    const [job] = await jobRows(db, mediaId)
    expect(job.attempts).toBe(2)
    expect(runnerLine(mediaId).exec(doomed.output())).toBeNull()
    expect(await until(() => runnerLine(mediaId).exec(second.output())?.[0])).toMatch(/attempt 2: done in /)
    await expectPlayable(mediaId, ['en'])
    // What the first runner had published, players and edges may keep: each of those
    // addresses still means the same bytes. A segment the second runner reproduced is the same
    // file under it (mtime too); one it made otherwise has its own address, `?a=2`. (Here the
    // audio and the lower rungs came out the same; the top rung's first segment has differed.)
    const final = await listedSegmentFiles(mediaId)
    const kept = [...published.keys()].filter(uri => final.has(uri))
    expect(kept.length).toBeGreaterThan(0)
    for (const uri of published.keys()) if (!final.has(uri)) expect(final.has(`${uri}?a=2`)).toBe(true)
    for (const uri of kept) expect({ uri, ...final.get(uri) }).toEqual({ uri, ...published.get(uri) })
  })

  test.skipIf(Boolean(skipReason))(
    'a video deleted mid-job: the runner kills its ffmpeg, forgets the job and takes the next',
    async () => {
      await stopRunners()
      const runner = startRunner('steady')
      await until(() => /runner steady \(#\d+\) ready/.test(runner.output()), 30_000)
      const deletedId = await upload(long, 'Deleted meanwhile')
      await until(() => isUnderWay(deletedId), 60_000, 20)
      expect((await owner.delete(`/api/v1/media/${deletedId}`)).status).toBe(204)
      // The origin answers the next heartbeat with 410, or the commands poll with "done".
      expect(await until(() => runnerLine(deletedId).exec(runner.output())?.[0], 10_000)).toMatch(
        /: taken back by the origin after|: ended by the origin after .* commands stopped/,
      )
      expect(ffmpegProcessesFor(runner.dir)).toEqual([])
      expect(Bun.spawnSync(['find', runner.dir, '-type', 'f']).stdout.toString().trim().split('\n')).toEqual([
        join(runner.dir, 'runner.json'),
      ])

      const nextId = await upload(clip, 'The next one')
      const row = await waitForMedia(db, nextId, isFinished, 60_000)
      expect({ status: row.status, error: row.error }).toEqual({ status: 'ready', error: null })
      expect(await until(() => runnerLine(nextId).exec(runner.output())?.[0])).toMatch(/: done in /)
    },
  )

  // The download function of the runner against the real origin: a .part the runner left
  // when it was killed is completed from where it stops, with If-Range.
  test.skipIf(Boolean(skipReason))('a source download resumes from the bytes a killed runner left', async () => {
    await stopRunners()
    const bytes = new Uint8Array(await readFile(clip))
    const mediaId = await upload(clip, 'Resumed download')
    const registered = await fetch(`${server.url}/api/v1/runners/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ registrationToken, name: 'by hand' }),
    })
    expect(registered.status).toBe(201)
    const { runnerToken } = await registered.json()
    const claimed = await fetch(`${server.url}/api/v1/runners/claim`, {
      method: 'POST',
      headers: { authorization: `Bearer ${runnerToken}` },
    })
    expect(claimed.status).toBe(200)
    const { job } = await claimed.json()
    expect(job.mediaId).toBe(mediaId)
    const source = { server: server.url, jobToken: job.token, jobId: job.id, sizeBytes: job.source.sizeBytes, etag: job.source.etag }
    expect(source.sizeBytes).toBe(bytes.length)

    // What a killed runner left: the first part. Zeros stand for those bytes, so that a
    // download which fetched them again would show.
    const dir = mkdtempSync(join(tmpdir(), 'moviepoint-runner-download-'))
    runnerDirs.push(dir)
    const had = Math.floor(bytes.length / 3)
    writeFileSync(join(dir, `${sourceFileName(source.etag)}.part`), new Uint8Array(had))
    const resumed = await downloadSource(dir, source)
    expect(resumed.resumedFromBytes).toBe(had)
    const got = new Uint8Array(await readFile(resumed.path))
    expect(got.length).toBe(bytes.length)
    expect(got.subarray(0, had).every(byte => byte === 0)).toBe(true)
    expect(Buffer.compare(got.subarray(had), bytes.subarray(had))).toBe(0)

    // A .part of another version of the source (its etag no longer matches): the whole file.
    const stale = { ...source, etag: `"not-${source.etag.replaceAll('"', '')}"` }
    writeFileSync(join(dir, `${sourceFileName(stale.etag)}.part`), new Uint8Array(had))
    const restarted = await downloadSource(dir, stale)
    expect(restarted.resumedFromBytes).toBe(0)
    expect(Buffer.compare(new Uint8Array(await readFile(restarted.path)), bytes)).toBe(0)
  })
})
