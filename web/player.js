// The player island: vidstack's web components (controls, quality / audio / subtitle menus
// inside the picture, seek-bar previews from thumbs.vtt) over hls.js, both bundled into this
// one script by the server (src/http/assets.ts). Ours: the keyboard (10 s seeks), the
// remembered audio and subtitle languages, "continue watching", the next episode's
// countdown, and the processing percent of a video still being transcoded. Initialised for
// the page and for every fragment htmx swaps in (htmx:load).
import Hls from 'hls.js'
import { isHLSProvider } from 'vidstack'
import 'vidstack/player'
import 'vidstack/player/layouts/default'
import 'vidstack/player/ui'

const saveEveryMs = 10_000
// Checking whether a video being processed became playable: at most this often.
const playableCheckMs = 2_000
const seekStepSec = 10
const nextCountdownSec = 10
const preferencesKey = 'moviepoint.player'

function initIn(root) {
  if (!(root instanceof Element || root instanceof Document)) return
  for (const el of root.querySelectorAll('[data-player]:not([data-ready])')) setUpPlayer(el)
  for (const el of root.querySelectorAll('[data-processing]:not([data-ready])')) watchProcessing(el)
}

// Releases what an element holds (an event stream, timers) when htmx removes it.
function onRemoved(el, release) {
  el.addEventListener('htmx:beforeCleanupElement', release, { once: true })
}

// ---- Player ----

function setUpPlayer(el) {
  el.dataset.ready = 'true'
  const player = el.querySelector('media-player')
  const layout = el.querySelector('media-video-layout')
  if (!player) return
  player.keyShortcuts = keyShortcuts()
  if (layout && el.dataset.labels) layout.translations = JSON.parse(el.dataset.labels)
  if (layout?.dataset.thumbnails) layout.thumbnails = new URL(layout.dataset.thumbnails, location.href).href
  rememberLanguages(el, player)
  if (el.dataset.positionUrl) rememberPosition(player, el.dataset.positionUrl)
  const resume = el.querySelector('[data-resume-at]')
  if (resume)
    resume.addEventListener('click', () => {
      startAt(player, Number(resume.dataset.resumeAt))
      resume.closest('.resume')?.remove()
    })
  const next = el.querySelector('[data-next-episode]')
  if (next) offerNextEpisode(player, next)
  // Arrived here from the previous episode's countdown.
  if (new URLSearchParams(location.search).has('autoplay')) player.play().catch(() => {})
}

// Seeking before the first play would be lost: nothing is loaded yet (load="play").
function startAt(player, sec) {
  if (player.state.canPlay) player.currentTime = sec
  else player.addEventListener('can-play', () => (player.currentTime = sec), { once: true })
  player.play().catch(() => {})
}

// hls.js from this bundle, never a CDN. Nothing but the playlists is fetched until the
// viewer presses play (load="play"); then hls.js keeps about half a minute ahead. Caught on
// the document, in the capture phase, once: a player htmx swaps in may pick its provider
// before htmx:load reaches setUpPlayer.
function useBundledHls() {
  const onProviderChange = event => {
    const provider = event.detail
    if (!isHLSProvider(provider)) return
    provider.library = Hls
    provider.config = { maxBufferLength: 30, maxMaxBufferLength: 60 }
  }
  document.addEventListener('provider-change', onProviderChange, { capture: true })
}

// vidstack's defaults, but ←/→ move 10 s (its own step is 5 s) and keys act wherever the
// page has focus, not only inside the player. With a Russian keyboard layout on, the same
// keys type л, ь, а, с: those work too.
function keyShortcuts() {
  const seekBy =
    deltaSec =>
    ({ player, event }) => {
      event.preventDefault()
      const duration = Number.isFinite(player.duration) ? player.duration : Number.POSITIVE_INFINITY
      player.currentTime = Math.min(Math.max(player.currentTime + deltaSec, 0), duration)
    }
  return {
    togglePaused: 'k л Space',
    toggleMuted: 'm ь',
    toggleFullscreen: 'f а',
    toggleCaptions: 'c с',
    seekBackward: { keys: 'ArrowLeft', onKeyDown: seekBy(-seekStepSec) },
    seekForward: { keys: 'ArrowRight', onKeyDown: seekBy(seekStepSec) },
    volumeUp: 'ArrowUp',
    volumeDown: 'ArrowDown',
  }
}

// ---- Remembered audio and subtitle languages ----

// A signed-in viewer's choices live on the account (the page renders them into data-*); an
// anonymous viewer's in localStorage. Applied once the tracks are known; from then on every
// change the viewer makes (menu or the c key) is saved.
function rememberLanguages(el, player) {
  const store = el.dataset.preferencesUrl ? accountStore(el) : localStore()
  let isArmed = false
  const apply = () => {
    const wanted = store.read()
    if (wanted.audio) selectAudio(player, wanted.audio)
    if (wanted.subtitles) showSubtitles(player, wanted.subtitles)
  }
  const save = () => {
    if (!isArmed) return
    const chosen = { audio: player.audioTracks.selected?.language || null, subtitles: shownSubtitles(player) }
    const before = store.read()
    if (chosen.audio === before.audio && chosen.subtitles === before.subtitles) return
    store.write(chosen)
  }
  player.addEventListener('audio-tracks-change', apply)
  player.addEventListener('text-tracks-change', apply)
  player.addEventListener('can-play', () => {
    apply()
    isArmed = true
  })
  player.addEventListener('audio-track-change', save)
  player.addEventListener('text-track-change', save)
}

function selectAudio(player, lang) {
  const track = [...player.audioTracks].find(t => t.language === lang)
  if (track && !track.selected) track.selected = true
}

const isSubtitleTrack = track => track.kind === 'subtitles' || track.kind === 'captions'

function showSubtitles(player, lang) {
  const tracks = player.textTracks.toArray().filter(isSubtitleTrack)
  if (lang === 'off') {
    for (const track of tracks) if (track.mode === 'showing') track.mode = 'disabled'
    return
  }
  const track = tracks.find(t => t.language === lang)
  if (track && track.mode !== 'showing') track.mode = 'showing'
}

function shownSubtitles(player) {
  const track = player.textTracks.toArray().find(t => isSubtitleTrack(t) && t.mode === 'showing')
  return track ? track.language || null : 'off'
}

function accountStore(el) {
  return {
    read: () => ({ audio: el.dataset.audioLang || null, subtitles: el.dataset.subtitleLang || null }),
    write(chosen) {
      el.dataset.audioLang = chosen.audio ?? ''
      el.dataset.subtitleLang = chosen.subtitles ?? ''
      fetch(el.dataset.preferencesUrl, {
        method: 'PUT',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', 'x-csrf-token': window.moviePoint.csrfToken() },
        body: JSON.stringify({ audioLang: chosen.audio, subtitleLang: chosen.subtitles }),
      }).catch(() => {})
    },
  }
}

function localStore() {
  const read = () => {
    try {
      const saved = JSON.parse(localStorage.getItem(preferencesKey) ?? '{}')
      return { audio: saved.audio ?? null, subtitles: saved.subtitles ?? null }
    } catch {
      return { audio: null, subtitles: null }
    }
  }
  return {
    read,
    write(chosen) {
      try {
        localStorage.setItem(preferencesKey, JSON.stringify(chosen))
      } catch {
        // Storage refused (private mode, quota): the choice holds for this page only.
      }
    },
  }
}

// ---- Continue watching ----

// The position goes to the server every few seconds while playing, on pause, and when the
// page is left; a finished video starts from the beginning.
function rememberPosition(player, url) {
  let savedAtMs = 0
  const save = keepalive => {
    savedAtMs = Date.now()
    const positionSec = player.ended ? 0 : Math.floor(player.currentTime * 10) / 10
    fetch(url, {
      method: 'PUT',
      credentials: 'same-origin',
      keepalive,
      headers: { 'content-type': 'application/json', 'x-csrf-token': window.moviePoint.csrfToken() },
      body: JSON.stringify({ positionSec }),
    }).catch(() => {})
  }
  player.addEventListener('time-update', () => {
    if (!player.paused && Date.now() - savedAtMs >= saveEveryMs) save(false)
  })
  player.addEventListener('pause', () => save(false))
  player.addEventListener('ended', () => save(false))
  window.addEventListener('pagehide', () => {
    if (player.currentTime > 0) save(true)
  })
}

// ---- Next episode ----

// At the end of an episode: "Next episode in N s" over the picture (so it shows in
// fullscreen too), then the next episode's page, which starts playing. Cancel stays here.
function offerNextEpisode(player, offer) {
  const secondsText = offer.querySelector('[data-countdown]')
  const cancel = offer.querySelector('[data-cancel]')
  let timer = null
  const stop = () => {
    clearInterval(timer)
    timer = null
    offer.hidden = true
  }
  // Inside the player element, so that it stays visible in fullscreen.
  player.append(offer)
  player.addEventListener('ended', () => {
    let left = Number(offer.dataset.countdownSec) || nextCountdownSec
    secondsText.textContent = String(left)
    offer.hidden = false
    timer = setInterval(() => {
      left -= 1
      secondsText.textContent = String(Math.max(left, 0))
      if (left > 0) return
      stop()
      location.assign(offer.querySelector('a').href)
    }, 1000)
  })
  cancel.addEventListener('click', stop)
  player.addEventListener('play', stop)
}

// ---- Processing ----

// The block sits alone while nothing plays yet, or under the player once the master
// playlist exists. At the end the fresh fragment comes in (the subtitle form, the final
// ladder), unless the viewer is already watching: then the block just goes.
function watchProcessing(el) {
  el.dataset.ready = 'true'
  const percentText = el.querySelector('[data-percent]')
  const statusText = el.querySelector('[data-status-text]')
  const bar = el.querySelector('progress')
  const refreshUrl = el.dataset.refreshUrl
  // Elsewhere than a title's video section (a list of uploads), only the end is awaited.
  const refreshTarget = el.dataset.refreshTarget ?? '#video'
  const isVideoSection = refreshTarget === '#video'
  const player = el.closest('#video')?.querySelector('[data-player] media-player')
  const isWatching = () => !!player && (!player.paused || player.currentTime > 0)
  let checkedAtMs = 0
  const events = new EventSource(el.dataset.eventsUrl)
  onRemoved(el, () => events.close())

  const refresh = () => {
    events.close()
    window.htmx.ajax('GET', refreshUrl, { target: refreshTarget, swap: 'outerHTML' })
  }
  const finish = status => {
    events.close()
    if (!isWatching()) refresh()
    else if (status === 'ready') el.remove()
  }
  // Playback may start long before processing ends: as soon as the master playlist exists.
  const checkPlayable = async () => {
    checkedAtMs = Date.now()
    const answer = await fetch(el.dataset.mediaUrl, { credentials: 'same-origin' })
    if (!answer.ok) return
    const body = await answer.json()
    if ((body.media ?? body).masterUrl && el.isConnected) refresh()
  }
  events.addEventListener('message', message => {
    const { status, progress } = JSON.parse(message.data)
    const percent = Math.round(progress * 100)
    percentText.textContent = `${percent}%`
    bar.value = percent
    statusText.textContent = el.dataset[`text${status.charAt(0).toUpperCase()}${status.slice(1)}`] ?? statusText.textContent
    if (status === 'ready' || status === 'failed') finish(status)
    else if (isVideoSection && !player && status === 'processing' && Date.now() - checkedAtMs >= playableCheckMs) checkPlayable()
  })
}

useBundledHls()
initIn(document)
document.addEventListener('htmx:load', event => initIn(event.detail.elt.parentElement ?? event.detail.elt))
