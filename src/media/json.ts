import type { MediaRow } from '../db/rows'
import { masterFileName, mediaFileUrl, posterFileName, publicationUri, thumbnailsVttName } from '../hls/layout'

// The contract's `media` object (shared/api.md).
export function toMediaJson(row: MediaRow) {
  return {
    id: row.id,
    titleId: row.titleId,
    episodeId: row.episodeId,
    status: row.status,
    progress: row.progress,
    error: row.error,
    // The reason as a code (the interface's i18n key `failure.<code>`) and its figures.
    errorCode: row.errorCode,
    errorParams: row.errorParams ?? null,
    durationSec: row.durationSec,
    source: row.source ?? null,
    renditions: row.renditions,
    audio: row.audio,
    subtitles: row.subtitles,
    masterUrl: row.isPlayable ? mediaFileUrl(row.id, masterFileName) : null,
    // These two are served `immutable`: their URI names the publication that made them.
    posterUrl: row.isPlayable ? mediaFileUrl(row.id, publicationUri(posterFileName, row.publications)) : null,
    // Written by the transcoding run before it marks the media ready (none without a picture).
    thumbnails: row.status === 'ready' && row.source ? mediaFileUrl(row.id, publicationUri(thumbnailsVttName, row.publications)) : null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }
}

export type MediaJson = ReturnType<typeof toMediaJson>

// A media taken in for work (an upload received, a failed one queued again): 202 and its JSON.
export function acceptedMedia(set: { status?: number | string }, row: MediaRow) {
  set.status = 202
  return { media: toMediaJson(row) }
}
