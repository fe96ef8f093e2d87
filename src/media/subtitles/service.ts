// Subtitle tracks added to a video by its owner: decoded, cleaned, stored as
// subs/<lang>.vtt + subs_<lang>.m3u8, listed in the media row, and the master redone.
import type { User } from '../../auth/users'
import type { Store } from '../../deps'
import type { SubtitleTrack } from '../../db/schema'
import { badRequest, conflict, notFound, payloadTooLarge, unsupportedMediaType } from '../../http/errors'
import { mediaFolder } from '../../hls/layout'
import { iso6391Codes, languageName } from '../../hls/languages'
import { publishMaster, updateSubtitleTracks, writeSubtitleTrack } from '../../hls/publish'
import { assertCanModifyMedia, getMedia, type MediaRow } from '../service'
import { decodeSubtitleBytes } from '../../hls/subtitle-decode'
import { maxSubtitleBytes } from './model'
import { InvalidSubtitles, type SubtitleFormat, toSafeWebVtt } from '../../hls/webvtt'

export type SubtitleStore = Store

function checkLanguage(raw: string): string {
  const lang = raw.toLowerCase()
  if (!iso6391Codes.has(lang)) throw badRequest('invalid_input', `Invalid field "lang": "${raw}" is not an ISO 639-1 code`)
  return lang
}

function checkFile(file: File) {
  if (!/\.(srt|vtt)$/i.test(file.name ?? '')) throw unsupportedMediaType('Subtitles must be an .srt or .vtt file')
  if (file.size > maxSubtitleBytes) throw payloadTooLarge('Subtitle files are limited to 2 MiB')
  if (file.size === 0) throw badRequest('invalid_subtitles', 'The subtitle file is empty')
}

// The content decides, not the name: an SRT saved as .vtt is still read.
function formatOf(text: string): SubtitleFormat {
  return /^\uFEFF?WEBVTT/.test(text) ? 'vtt' : 'srt'
}

async function toVtt(file: File): Promise<{ vtt: string; lastCueEndSec: number }> {
  const { text } = decodeSubtitleBytes(new Uint8Array(await file.arrayBuffer()))
  try {
    const { vtt } = await toSafeWebVtt(text, formatOf(text))
    const ends = [...vtt.matchAll(/--> (\d+):(\d+):(\d+\.\d+)/g)].map(m => +m[1] * 3600 + +m[2] * 60 + +m[3])
    return { vtt, lastCueEndSec: Math.max(0, ...ends) }
  } catch (error) {
    if (error instanceof InvalidSubtitles) throw badRequest('invalid_subtitles', error.message)
    throw error
  }
}

function checkAcceptsSubtitles(row: MediaRow) {
  if (row.status !== 'ready' && row.status !== 'processing')
    throw conflict('media_not_ready', `Subtitles can be added once the video is processing or ready (it is ${row.status})`)
}

const mediaGone = (id: number) => notFound('media_not_found', `There is no media ${id}`)

async function storeTrack(store: SubtitleStore, row: MediaRow, track: SubtitleTrack & { vtt: string; durationSec: number }) {
  try {
    await writeSubtitleTrack({ folder: mediaFolder(store.mediaDataPath, row.id), ...track })
  } catch (error) {
    // The folder went away with the media (deleted meanwhile).
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw mediaGone(row.id)
    throw error
  }
  const replace = (tracks: SubtitleTrack[]) => {
    const entry = { lang: track.lang, name: track.name }
    const isNew = !tracks.some(t => t.lang === track.lang)
    return isNew ? [...tracks, entry] : tracks.map(t => (t.lang === track.lang ? entry : t))
  }
  if (!(await updateSubtitleTracks(store.db, row.id, replace))) throw mediaGone(row.id)
}

export async function addSubtitleTrack(
  store: SubtitleStore,
  user: User,
  input: { mediaId: number; file: File; lang: string },
): Promise<{ media: MediaRow; track: SubtitleTrack }> {
  const row = await getMedia(store.db, input.mediaId)
  await assertCanModifyMedia(store.db, user, row)
  checkAcceptsSubtitles(row)
  const lang = checkLanguage(input.lang)
  checkFile(input.file)
  const { vtt, lastCueEndSec } = await toVtt(input.file)
  const track = { lang, name: languageName(lang) }
  await storeTrack(store, row, { ...track, vtt, durationSec: row.durationSec ?? lastCueEndSec })
  await publishMaster(store.db, store.mediaDataPath, row.id)
  return { media: await getMedia(store.db, row.id), track }
}
