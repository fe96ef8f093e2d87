// The TranscodeEngine of a remote runner's job: the attempt code (transcoding/index.ts)
// runs here unchanged, but its ffmpeg commands go to the runner. Preparing (probe and plan)
// is the origin's own engine's work; `startFfmpeg` hands the command to the session, with
// the media folder's path replaced by `{media}`, and answers an FfmpegRun whose exit,
// stderr and limits are what the runner reports.
import { readdirSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import type { TranscodePlan } from '../transcoding/args'
import type { TranscodeEngine } from '../transcoding/engine'
import { previousFolderName } from '../transcoding/previous'
import type { FfmpegRun } from '../transcoding/run'
import { mediaPlaceholder, workFolderName } from './protocol'
import type { RunnerSession } from './sessions'

// `<folder>/x` → `{media}/x` wherever it appears in an argument.
export function toPlaceholder(folder: string, text: string): string {
  return text.split(folder + sep).join(`${mediaPlaceholder}/`)
}

export function planForRunner(folder: string, plan: TranscodePlan): TranscodePlan {
  return { ...plan, sourcePath: toPlaceholder(folder, plan.sourcePath) }
}

// Every folder under `.work/`, relative to the media folder, parents first: what the runner
// makes before a command writes there (not `.work/previous/`: the origin's own).
export function workFolders(folder: string): string[] {
  const root = join(folder, workFolderName)
  const aside = join(root, previousFolderName)
  const found: string[] = []
  const walk = (path: string) => {
    found.push(relative(folder, path))
    const entries = readdirSync(path, { withFileTypes: true })
    for (const entry of entries) if (entry.isDirectory() && join(path, entry.name) !== aside) walk(join(path, entry.name))
  }
  try {
    walk(root)
  } catch {
    return []
  }
  return found.slice(1)
}

export function remoteEngine(local: TranscodeEngine, session: RunnerSession): TranscodeEngine {
  return {
    name: local.name,
    async prepare(options) {
      const prepared = await local.prepare(options)
      session.setPrepared({ probe: prepared.probe, plan: prepared.plan, sourcePath: options.sourcePath })
      return prepared
    },
    startFfmpeg({ args, folder, limits, onProgress }): FfmpegRun {
      const command = { args: args.map(arg => toPlaceholder(folder, arg)), limits, folders: workFolders(folder) }
      const { entry, exited } = session.addCommand(command, onProgress)
      return {
        pid: 0,
        exited,
        // The runner hears it at its next heartbeat; the attempt does not wait for it.
        kill: () => {
          if (entry.hasExited) return
          entry.isCancelled = true
          entry.settle(null)
        },
        stderrTail: () => entry.stderrTail,
        limitHit: () => entry.limitHit,
        peakRssBytes: () => entry.peakRssBytes,
      }
    },
  }
}
