// The player island: vidstack's <media-player> with its default video layout, which
// web/player.js drives over hls.js. Rendered here: the source, the poster, the seek-bar
// previews (thumbs.vtt), the layout's words in the page's language, the viewer's remembered
// languages, the resume offer and the next episode's countdown.
import type { MessageKey, Translate } from '../../i18n'
import type { MediaJson } from '../../media/json'
import type { PlayerPreferences } from '../../watch/model'
import type { PageContext } from '../context'
import { formatClock } from '../ui/format'

// Offered unless the viewer had barely started or had (nearly) finished: from 95 % on a
// video counts as watched, as the end credits roll.
function resumeOffer(positionSec: number | null, durationSec: number | null): number | null {
  if (positionSec === null || positionSec < 1) return null
  if (durationSec !== null && positionSec >= durationSec * 0.95) return null
  return positionSec
}

// The words of vidstack's default layout (DefaultLayoutWord) and our message for each.
const layoutWords: Record<string, MessageKey> = {
  Announcements: 'player.ui_announcements',
  Accessibility: 'player.ui_accessibility',
  Audio: 'player.ui_audio',
  Auto: 'player.ui_auto',
  Boost: 'player.ui_boost',
  Captions: 'player.ui_captions',
  'Caption Styles': 'player.ui_caption_styles',
  'Captions look like this': 'player.ui_captions_look_like_this',
  Chapters: 'player.ui_chapters',
  'Closed-Captions Off': 'player.ui_closed_captions_off',
  'Closed-Captions On': 'player.ui_closed_captions_on',
  Continue: 'player.ui_continue',
  Default: 'player.ui_default',
  Disabled: 'player.ui_disabled',
  'Display Background': 'player.ui_display_background',
  Download: 'player.ui_download',
  'Enter Fullscreen': 'player.ui_enter_fullscreen',
  'Exit Fullscreen': 'player.ui_exit_fullscreen',
  'Enter PiP': 'player.ui_enter_pip',
  'Exit PiP': 'player.ui_exit_pip',
  Font: 'player.ui_font',
  Family: 'player.ui_family',
  Fullscreen: 'player.ui_fullscreen',
  'Keyboard Animations': 'player.ui_keyboard_animations',
  Loop: 'player.ui_loop',
  Mute: 'player.ui_mute',
  Normal: 'player.ui_normal',
  Off: 'player.ui_off',
  Pause: 'player.ui_pause',
  Play: 'player.ui_play',
  Playback: 'player.ui_playback',
  PiP: 'player.ui_pip',
  Quality: 'player.ui_quality',
  Replay: 'player.ui_replay',
  Reset: 'player.ui_reset',
  'Seek Backward': 'player.ui_seek_backward',
  'Seek Forward': 'player.ui_seek_forward',
  Seek: 'player.ui_seek',
  Settings: 'player.ui_settings',
  Speed: 'player.ui_speed',
  Size: 'player.ui_size',
  Color: 'player.ui_color',
  Opacity: 'player.ui_opacity',
  Shadow: 'player.ui_shadow',
  Text: 'player.ui_text',
  'Text Background': 'player.ui_text_background',
  Track: 'player.ui_track',
  Unmute: 'player.ui_unmute',
  Volume: 'player.ui_volume',
}

export function layoutTranslations(t: Translate): Record<string, string> {
  return Object.fromEntries(Object.entries(layoutWords).map(([word, key]) => [word, t(key)]))
}

export type NextEpisode = { url: string; name: string }

// Shown by player.js over the picture when the episode ends; hidden until then. The
// seconds left are a span inside the sentence, which player.js counts down.
function NextEpisodeOffer({ t, next }: { t: Translate; next: NextEpisode }) {
  const [before, after = ''] = t('player.next_in', { seconds: '\u0000' }).split('\u0000')
  return (
    <div class="next-episode" data-next-episode role="status" hidden>
      <p class="next-name">{t('player.next_episode', { name: next.name })}</p>
      <p>
        {before}
        <span data-countdown />
        {after}
      </p>
      <p class="actions">
        <a class="button primary" href={`${next.url}?autoplay=1`}>
          {t('player.play_next')}
        </a>
        <button type="button" data-cancel>
          {t('player.cancel_next')}
        </button>
      </p>
    </div>
  )
}

export function Player({
  ctx,
  media,
  name,
  positionSec,
  preferences,
  next,
}: {
  ctx: PageContext
  media: MediaJson
  name: string
  positionSec: number | null
  preferences: PlayerPreferences | null
  next?: NextEpisode | null
}) {
  const { t, user } = ctx
  const resumeAt = user ? resumeOffer(positionSec, media.durationSec) : null
  return (
    <div
      class="player"
      data-player
      data-labels={JSON.stringify(layoutTranslations(t))}
      data-position-url={user ? `/api/v1/media/${media.id}/position` : undefined}
      data-preferences-url={user ? '/api/v1/me/player-preferences' : undefined}
      data-audio-lang={preferences?.audioLang ?? undefined}
      data-subtitle-lang={preferences?.subtitleLang ?? undefined}
    >
      {/* Nothing loads and no spinner turns until play is pressed: the poster shows. */}
      <media-player
        title={name}
        src={media.masterUrl ?? ''}
        load="play"
        poster-load="eager"
        playsinline
        key-target="document"
        aria-label={t('player.label', { name })}
      >
        <media-provider>{media.posterUrl && <media-poster class="vds-poster" src={media.posterUrl} alt="" />}</media-provider>
        {/* player.js makes the address absolute: vidstack resolves sprite names against it only then. */}
        <media-video-layout data-thumbnails={media.thumbnails ?? undefined} no-audio-gain />
      </media-player>
      {next && <NextEpisodeOffer t={t} next={next} />}
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
