// One claimed job on the runner: fetch the source, run each command the origin sends with
// `{media}` standing for the local job folder, upload what ffmpeg writes, report each exit,
// and beat the heart meanwhile (progress rides on the heartbeat). The origin says when the
// attempt is over (`done`); a 410 at any point means the job went elsewhere: ffmpeg is
// killed and the job forgotten. Either way the job folder and the source are removed.
import { link, mkdir, rm } from 'node:fs/promises'
import { dirname, join, normalize } from 'node:path'
import type { ProgressBlock } from '../../transcoding/progress'
import { type FfmpegRun, startFfmpeg } from '../../transcoding/run'
import {
  type ClaimAnswer,
  type CommandAnswer,
  type ExitBody,
  type HeartbeatAnswer,
  type HeartbeatBody,
  mediaPlaceholder,
  type RemoteCommand,
  runnerApiPrefix,
} from '../protocol'
import { call, JobGone } from './api'
import { type Downloaded, downloadSource } from './download'
import { createUploader, outputsOf } from './uploader'

export type RemoteJob = ClaimAnswer['job']
type Running = { n: number; run: FfmpegRun; progress: { block: ProgressBlock | null }; isCancelled: boolean }

export type JobOptions = { server: string; dir: string; ffmpegPath: string; job: RemoteJob; stop: AbortSignal }
export type JobResult =
  // `stopped`: commands still running when the origin ended the attempt (a video deleted…).
  { kind: 'done'; commands: number; stopped: number; resumedFromBytes: number } | { kind: 'gone' } | { kind: 'error'; message: string }

const uploadTickMs = 250
const progressHeartbeatMs = 1000

// A path the origin names, inside the job folder whatever it says.
function inside(jobDir: string, path: string): string {
  const relativePath = normalize(path)
  if (relativePath.startsWith('..') || relativePath.startsWith('/')) throw new Error(`the origin named a path outside the job: ${path}`)
  return join(jobDir, relativePath)
}

export async function runRemoteJob(options: JobOptions): Promise<JobResult> {
  const { server, job } = options
  const jobDir = join(options.dir, 'jobs', String(job.id))
  const gone = new AbortController()
  const signal = AbortSignal.any([gone.signal, options.stop])
  const running = new Map<number, Running>()
  const api = (method: string, path: string, extra: { json?: unknown; body?: BodyInit } = {}) =>
    call(server, method, `${runnerApiPrefix}/jobs/${job.id}${path}`, { token: job.token, signal, ...extra })
  const uploader = createUploader(jobDir, async (path, bytes) => {
    await api('PUT', `/files/${path.split('/').map(encodeURIComponent).join('/')}`, { body: bytes })
  })

  let isOver = false
  let stopped = 0
  let lastBeatMs = 0
  let isBeating = false
  async function beat() {
    lastBeatMs = Date.now()
    const commands = [...running.values()].map(({ n, run, progress }) => ({ n, progress: progress.block, stderrTail: run.stderrTail() }))
    const answer = await api('POST', '/heartbeat', { json: { commands } satisfies HeartbeatBody })
    const { cancelled } = (await answer.json()) as HeartbeatAnswer
    for (const n of cancelled) {
      const command = running.get(n)
      if (command) stop(command)
    }
  }
  function stop(command: Running) {
    command.isCancelled = true
    command.run.kill()
  }
  // One heartbeat at a time: a slow origin is not sent a queue of them.
  function heartbeat() {
    if (isBeating) return
    isBeating = true
    beat()
      .catch(error => {
        if (error instanceof JobGone) gone.abort(error)
        else if (!signal.aborted) console.warn(`job ${job.id}: heartbeat failed: ${(error as Error).message}`)
      })
      .finally(() => {
        isBeating = false
      })
  }
  const heart = setInterval(heartbeat, job.heartbeatMs)

  async function runCommand(command: RemoteCommand) {
    for (const folder of command.folders) await mkdir(inside(jobDir, folder), { recursive: true })
    const args = command.args.map(arg => arg.replaceAll(mediaPlaceholder, jobDir))
    const progress = { block: null as ProgressBlock | null }
    const run = startFfmpeg({
      ffmpegPath: options.ffmpegPath,
      args,
      limits: command.limits,
      onProgress: block => {
        progress.block = block
        if (Date.now() - lastBeatMs >= progressHeartbeatMs) heartbeat()
      },
    })
    const entry: Running = { n: command.n, run, progress, isCancelled: false }
    running.set(command.n, entry)
    const owns = outputsOf(command.args)
    let code: number | null | undefined
    run.exited.then(exit => (code = exit))
    let uploadError: Error | null = null
    try {
      while (code === undefined && !signal.aborted) {
        await Promise.race([run.exited, Bun.sleep(uploadTickMs)])
        await uploader.uploadListed(owns)
      }
      if (!entry.isCancelled && !signal.aborted) await uploader.uploadAll(owns)
    } catch (error) {
      if (error instanceof JobGone || signal.aborted) throw error
      uploadError = error as Error
      run.kill()
    }
    await run.exited
    running.delete(command.n)
    const stderrTail = [run.stderrTail(), uploadError && `runner: ${uploadError.message}`].filter(Boolean).join('\n')
    if (isOver) return
    await api('POST', `/commands/${command.n}/exit`, {
      json: {
        code: uploadError && code === 0 ? 1 : (code ?? null),
        stderrTail,
        limitHit: run.limitHit(),
        peakRssBytes: run.peakRssBytes(),
      } satisfies ExitBody,
    })
  }

  // Commands come one by one; each runs as it comes (a poster beside the main encode).
  async function followCommands(): Promise<number> {
    const started: Promise<void>[] = []
    let after = 0
    for (;;) {
      const answer = await api('GET', `/commands?after=${after}`)
      if (answer.status === 204) continue
      const body = (await answer.json()) as CommandAnswer
      if ('done' in body) {
        // The attempt is over: anything still running is of no use to it, nor its exit.
        isOver = true
        stopped = running.size
        for (const command of running.values()) stop(command)
        break
      }
      after = body.command.n
      const commandRun = runCommand(body.command)
      // The first failure (a 410 included) ends the job at once.
      commandRun.catch(error => gone.abort(error))
      started.push(commandRun)
    }
    await Promise.allSettled(started)
    return started.length
  }

  // Once complete, the source goes with the job whatever its end; a part stays for a resume.
  let downloaded: Downloaded | null = null
  try {
    await rm(jobDir, { recursive: true, force: true })
    await mkdir(jobDir, { recursive: true })
    heartbeat()
    const source = { server, jobToken: job.token, jobId: job.id, sizeBytes: job.source.sizeBytes, etag: job.source.etag }
    downloaded = await downloadSource(join(options.dir, 'sources'), source, signal)
    const sourcePath = inside(jobDir, job.source.path)
    await mkdir(dirname(sourcePath), { recursive: true })
    await link(downloaded.path, sourcePath)
    const commands = await Promise.race([followCommands(), abortedOf(signal)])
    if (commands === undefined) throw signal.reason
    return { kind: 'done', commands, stopped, resumedFromBytes: downloaded.resumedFromBytes }
  } catch (error) {
    const reason = gone.signal.aborted ? gone.signal.reason : error
    if (reason instanceof JobGone) return { kind: 'gone' }
    return { kind: 'error', message: (reason as Error)?.message ?? String(reason) }
  } finally {
    clearInterval(heart)
    for (const { run } of running.values()) run.kill()
    await Promise.allSettled([...running.values()].map(({ run }) => run.exited))
    await rm(jobDir, { recursive: true, force: true })
    if (downloaded) await rm(downloaded.path, { force: true })
  }
}

function abortedOf(signal: AbortSignal): Promise<undefined> {
  return new Promise(resolve => {
    if (signal.aborted) resolve(undefined)
    else signal.addEventListener('abort', () => resolve(undefined), { once: true })
  })
}
