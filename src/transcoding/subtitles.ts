// Text subtitle streams of the source, extracted by ffmpeg into the work folder, become
// served tracks once the encode is done — cleaned like an upload, since they are one.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import type { Db } from '../db/client'
import { media, type SubtitleTrack } from '../db/schema'
import { playlistNames } from '../hls/layout'
import { writeSubtitleTrack } from '../hls/publish'
import { InvalidSubtitles, toSafeWebVtt } from '../hls/webvtt'
import type { TranscodePlan } from './args'
import { type ClaimedJob, type Fence, leaseStateOf, updateSubtitleTracksOfJob } from './jobs'

async function safeVttOf(path: string): Promise<string | null> {
  const text = await readFile(path, 'utf8').catch(() => null)
  if (text === null) return null
  try {
    return (await toSafeWebVtt(text, 'vtt')).vtt
  } catch (error) {
    if (error instanceof InvalidSubtitles) return null
    throw error
  }
}

// Only while the job is still this worker's (false once it is not): the files too, since
// the folder is the new owner's after a takeover, so each file also waits for `fence`.
export async function publishSourceSubtitles(options: {
  db: Db
  job: ClaimedJob
  fence: Fence
  folder: string
  workDir: string
  plan: TranscodePlan
  durationSec: number
}): Promise<boolean> {
  const { db, job, folder } = options
  if ((await leaseStateOf(db, job)) !== 'held') return false
  const [row] = await db.select({ subtitles: media.subtitles }).from(media).where(eq(media.id, job.mediaId))
  // A track someone uploaded for the same language wins over the one in the file.
  const taken = new Set((row?.subtitles ?? []).map(track => track.lang))
  const published: SubtitleTrack[] = []
  for (const track of options.plan.subtitles) {
    if (taken.has(track.lang)) continue
    const vtt = await safeVttOf(join(options.workDir, playlistNames.subtitleFile(track.lang)))
    if (!vtt) continue
    await options.fence()
    await writeSubtitleTrack({ folder, lang: track.lang, vtt, durationSec: options.durationSec })
    published.push({ lang: track.lang, name: track.name })
  }
  if (published.length === 0) return true
  return updateSubtitleTracksOfJob(db, job, tracks => [
    ...tracks,
    ...published.filter(track => !tracks.some(existing => existing.lang === track.lang)),
  ])
}
