// The player island: a <video> that web/player.js drives with hls.js (Safari plays HLS
// natively). The menus are rendered here from the media row, so their labels are in the
// page's language; the script maps them to hls.js levels and tracks.
import type { MediaJson } from '../../media/json'
import type { PageContext } from '../context'
import { formatClock } from '../ui/format'

// Offered unless the viewer had barely started or had (nearly) finished: from 95 % on a
// video counts as watched, as the end credits roll.
function resumeOffer(positionSec: number | null, durationSec: number | null): number | null {
  if (positionSec === null || positionSec < 1) return null
  if (durationSec !== null && positionSec >= durationSec * 0.95) return null
  return positionSec
}

function Menu(props: { id: string; label: string; menu: string; options: { value: string; label: string }[]; hidden?: boolean }) {
  return (
    <div class="field" hidden={props.hidden} data-menu-field={props.menu}>
      <label for={props.id}>{props.label}</label>
      <select id={props.id} data-menu={props.menu}>
        {props.options.map(option => (
          <option value={option.value}>{option.label}</option>
        ))}
      </select>
    </div>
  )
}

// A seek bar that shows the frame under the pointer (thumbs.vtt): hidden until player.js
// has wired it, so without JavaScript only the video's own controls show.
function SeekBar(props: { url: string; durationSec: number | null; label: string }) {
  return (
    <div class="seekbar" data-seekbar data-thumbnails-url={props.url} data-duration-sec={props.durationSec ?? undefined} hidden>
      <input type="range" min="0" max={props.durationSec ?? 0} step="any" value="0" aria-label={props.label} data-seek />
      <div class="seek-preview" data-seek-preview hidden>
        <span class="seek-time" data-seek-time />
      </div>
    </div>
  )
}

export function Player({
  ctx,
  media,
  name,
  positionSec,
}: {
  ctx: PageContext
  media: MediaJson
  name: string
  positionSec: number | null
}) {
  const { t } = ctx
  const id = media.id
  // Rungs are boxes (hls-layout.md): a portrait 1080×1920 rung is "1080p", named by its box
  // (the rendition's name), and told apart from the others by its height.
  const rungs = [...new Map(media.renditions.map(rung => [rung.height, rung.name])).entries()].sort(([a], [b]) => b - a)
  const resumeAt = ctx.user ? resumeOffer(positionSec, media.durationSec) : null
  return (
    <div
      class="player"
      data-player
      data-master-url={media.masterUrl ?? ''}
      data-position-url={ctx.user ? `/api/v1/media/${id}/position` : undefined}
    >
      {/* biome-ignore lint/a11y/useMediaCaption: the subtitles come from the HLS master (hls.js or native HLS adds them as text tracks) */}
      <video controls playsinline preload="none" poster={media.posterUrl ?? undefined} aria-label={t('player.label', { name })} />
      {media.thumbnails && <SeekBar url={media.thumbnails} durationSec={media.durationSec} label={t('player.seek')} />}
      <div class="player-menus">
        <Menu
          id={`quality-${id}`}
          label={t('player.quality')}
          menu="quality"
          options={[
            { value: 'auto', label: t('player.quality_auto') },
            ...rungs.map(([height, name]) => ({ value: String(height), label: name })),
          ]}
          hidden={rungs.length < 2}
        />
        <Menu
          id={`audio-${id}`}
          label={t('player.audio')}
          menu="audio"
          // One option per rendition (a language can have two tracks, or stereo and 5.1): the
          // value names its files, the label is the rendition's NAME in the master.
          options={media.audio.map(track => ({ value: track.key ?? track.lang, label: track.name }))}
          hidden={media.audio.length < 2}
        />
        <Menu
          id={`subtitles-${id}`}
          label={t('player.subtitles')}
          menu="subtitles"
          options={[{ value: '', label: t('player.subtitles_off') }, ...media.subtitles.map(s => ({ value: s.lang, label: s.name }))]}
          hidden={media.subtitles.length === 0}
        />
      </div>
      {resumeAt !== null && (
        <p class="resume">
          <button type="button" data-resume-at={resumeAt}>
            {t('player.resume', { time: formatClock(resumeAt) })}
          </button>
        </p>
      )}
      <noscript>
        <p>{t('player.needs_js')}</p>
      </noscript>
    </div>
  )
}
