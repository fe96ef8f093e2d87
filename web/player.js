// The player island: HLS with hls.js (Safari's native HLS where Media Source is missing),
// menus for quality, audio and subtitles, "continue watching", and the processing percent
// of a video still being transcoded. Initialised for the page and for every fragment
// htmx swaps in (htmx:load).
'use strict'
;(() => {
  const saveEveryMs = 10_000
  // Checking whether a video being processed became playable: at most this often.
  const playableCheckMs = 2_000

  function initIn(root) {
    if (!(root instanceof Element || root instanceof Document)) return
    for (const el of root.querySelectorAll('[data-player]:not([data-ready])')) setUpPlayer(el)
    for (const el of root.querySelectorAll('[data-processing]:not([data-ready])')) watchProcessing(el)
  }

  // Releases what an element holds (hls.js, an event stream) when htmx removes it.
  function onRemoved(el, release) {
    el.addEventListener('htmx:beforeCleanupElement', release, { once: true })
  }

  // ---- Player ----

  function setUpPlayer(el) {
    el.dataset.ready = 'true'
    const video = el.querySelector('video')
    const menus = {
      quality: el.querySelector('[data-menu="quality"]'),
      audio: el.querySelector('[data-menu="audio"]'),
      subtitles: el.querySelector('[data-menu="subtitles"]'),
    }
    const controller = window.Hls?.isSupported()
      ? hlsController(video, el.dataset.masterUrl, menus)
      : nativeController(video, el.dataset.masterUrl, menus)
    onRemoved(el, () => controller.destroy())
    const seekbar = el.querySelector('[data-seekbar]')
    if (seekbar) wireSeekPreviews(seekbar, video, controller)
    if (el.dataset.positionUrl) rememberPosition(video, el.dataset.positionUrl)
    const resume = el.querySelector('[data-resume-at]')
    if (resume)
      resume.addEventListener('click', () => {
        controller.startAt(Number(resume.dataset.resumeAt))
        video.play().catch(() => {})
        resume.closest('.resume')?.remove()
      })
  }

  function hlsController(video, masterUrl, menus) {
    const Hls = window.Hls
    // Nothing but the playlists is fetched until the viewer presses play; then hls.js
    // keeps about half a minute ahead, never the whole file.
    const hls = new Hls({ autoStartLoad: false, maxBufferLength: 30, maxMaxBufferLength: 60 })
    const loading = { isStarted: false }
    const startAt = sec => {
      if (!loading.isStarted) {
        loading.isStarted = true
        hls.startLoad(sec)
      }
      video.currentTime = sec
    }
    video.addEventListener('play', () => {
      if (!loading.isStarted) startAt(video.currentTime || 0)
    })
    hls.on(Hls.Events.ERROR, (_event, data) => {
      if (!data.fatal) return
      if (data.type === Hls.ErrorTypes.NETWORK_ERROR) hls.startLoad()
      else if (data.type === Hls.ErrorTypes.MEDIA_ERROR) hls.recoverMediaError()
      else hls.destroy()
    })
    wireHlsMenus(hls, menus, loading)
    hls.loadSource(masterUrl)
    hls.attachMedia(video)
    // Play was pressed before this script ran: start now rather than wait for another press.
    if (!video.paused) startAt(video.currentTime || 0)
    return { startAt, destroy: () => hls.destroy() }
  }

  // An audio option's label is its rendition's NAME in the master, which tells apart the
  // tracks of one language (English, English 5.1).
  const selectedLabel = select => select.selectedOptions[0]?.textContent

  // The menus hold heights, audio names and language codes; hls.js has levels and tracks by index.
  function wireHlsMenus(hls, menus, loading) {
    const Hls = window.Hls
    const showCurrentAudio = () => {
      const track = hls.audioTracks[hls.audioTrack]
      const option = track && [...(menus.audio?.options ?? [])].find(o => o.textContent === track.name)
      if (option) menus.audio.value = option.value
    }
    hls.on(Hls.Events.MANIFEST_PARSED, showCurrentAudio)
    hls.on(Hls.Events.AUDIO_TRACK_SWITCHED, showCurrentAudio)
    menus.quality?.addEventListener('change', () => {
      const height = menus.quality.value
      const level = height === 'auto' ? -1 : hls.levels.findIndex(l => String(l.height) === height)
      // Switches at once: the buffer is dropped and the chosen rung's segments loaded.
      if (loading.isStarted) hls.currentLevel = level
      else hls.startLevel = level
      if (level === -1) hls.nextLevel = -1
    })
    menus.audio?.addEventListener('change', () => {
      const index = hls.audioTracks.findIndex(t => t.name === selectedLabel(menus.audio))
      if (index >= 0) hls.audioTrack = index
    })
    menus.subtitles?.addEventListener('change', () => {
      const index = hls.subtitleTracks.findIndex(t => t.lang === menus.subtitles.value)
      hls.subtitleDisplay = index >= 0
      hls.subtitleTrack = index
    })
  }

  // Safari on iOS has no Media Source: it plays the master playlist itself and chooses
  // the quality on its own; audio and subtitle tracks are the video element's.
  function nativeController(video, masterUrl, menus) {
    if (!video.canPlayType('application/vnd.apple.mpegurl')) return { startAt() {}, destroy() {} }
    video.src = masterUrl
    menus.quality?.closest('[data-menu-field]')?.setAttribute('hidden', '')
    menus.audio?.addEventListener('change', () => {
      for (const track of video.audioTracks ?? []) track.enabled = track.label === selectedLabel(menus.audio)
    })
    menus.subtitles?.addEventListener('change', () => {
      for (const track of video.textTracks)
        track.mode = track.language === menus.subtitles.value && track.kind !== 'metadata' ? 'showing' : 'disabled'
    })
    return {
      startAt(sec) {
        video.currentTime = sec
      },
      destroy() {},
    }
  }

  // ---- Seek-bar previews ----

  // thumbs.vtt: cues `start --> end` whose text is `thumbs/spriteNNNN.jpg#xywh=x,y,w,h`.
  // Sprite addresses are resolved against the .vtt's own.
  function parseThumbnails(text, vttUrl) {
    const seconds = clock => clock.split(':').reduce((sum, part) => sum * 60 + Number(part), 0)
    const base = new URL(vttUrl, location.href)
    const cues = []
    for (const block of text.replace(/\r/g, '').split(/\n\n+/)) {
      const lines = block.split('\n')
      const at = lines.findIndex(line => line.includes('-->'))
      if (at === -1 || !lines[at + 1]) continue
      const [start, end] = lines[at].split('-->').map(part => seconds(part.trim().split(/\s/)[0]))
      const [file, fragment = ''] = lines[at + 1].trim().split('#')
      const xywh = /^xywh=(\d+),(\d+),(\d+),(\d+)$/.exec(fragment)
      if (!xywh || !(end > start)) continue
      const [x, y, w, h] = xywh.slice(1).map(Number)
      cues.push({ start, end, url: new URL(file, base).href, x, y, w, h })
    }
    return cues
  }

  const cueAt = (cues, sec) =>
    cues.find(cue => sec >= cue.start && sec < cue.end) ?? (sec >= (cues.at(-1)?.start ?? 0) ? cues.at(-1) : null)

  // A range input under the video: hovering or dragging it shows the frame at that
  // time above the pointer; releasing seeks there (starting hls.js loading if needed).
  function wireSeekPreviews(bar, video, controller) {
    const range = bar.querySelector('[data-seek]')
    const preview = bar.querySelector('[data-seek-preview]')
    const timeText = bar.querySelector('[data-seek-time]')
    let cues = []
    // The time under the pointer (null when it is elsewhere): shown once the cues arrive.
    let pointedSec = null
    fetch(bar.dataset.thumbnailsUrl, { credentials: 'same-origin' })
      .then(answer => (answer.ok ? answer.text() : ''))
      .then(text => {
        cues = parseThumbnails(text, bar.dataset.thumbnailsUrl)
        if (pointedSec !== null) show(pointedSec)
      })
      .catch(() => {})
    const durationSec = () =>
      Number.isFinite(video.duration) && video.duration > 0 ? video.duration : Number(bar.dataset.durationSec) || 0
    let isDragging = false
    bar.hidden = false

    const show = sec => {
      pointedSec = sec
      const cue = cueAt(cues, sec)
      const width = range.getBoundingClientRect().width
      const duration = durationSec()
      preview.hidden = !cue || !duration || !width
      if (preview.hidden) return
      preview.style.width = `${cue.w}px`
      preview.style.height = `${cue.h}px`
      preview.style.backgroundImage = `url("${cue.url}")`
      preview.style.backgroundPosition = `-${cue.x}px -${cue.y}px`
      const center = (Math.min(Math.max(sec, 0), duration) / duration) * width
      preview.style.left = `${Math.min(Math.max(center - cue.w / 2, 0), Math.max(width - cue.w, 0))}px`
      timeText.textContent = formatClock(sec)
    }
    const hide = () => {
      pointedSec = null
      preview.hidden = true
    }
    const timeUnder = event => {
      const box = range.getBoundingClientRect()
      return (Math.min(Math.max(event.clientX - box.left, 0), box.width) / box.width) * durationSec()
    }

    range.addEventListener('pointermove', event => show(isDragging ? Number(range.value) : timeUnder(event)))
    range.addEventListener('pointerleave', () => {
      if (!isDragging) hide()
    })
    range.addEventListener('input', () => {
      isDragging = true
      show(Number(range.value))
    })
    range.addEventListener('change', () => {
      isDragging = false
      controller.startAt(Number(range.value))
      hide()
    })
    const follow = () => {
      range.max = String(durationSec())
      if (!isDragging) range.value = String(video.currentTime)
    }
    video.addEventListener('timeupdate', follow)
    video.addEventListener('durationchange', follow)
  }

  function formatClock(totalSec) {
    const whole = Math.max(0, Math.floor(totalSec))
    const [h, m, s] = [Math.floor(whole / 3600), Math.floor(whole / 60) % 60, whole % 60]
    const two = n => String(n).padStart(2, '0')
    return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`
  }

  // "Continue watching": the position goes to the server every few seconds while playing,
  // on pause, and when the page is left; a finished video starts from the beginning.
  function rememberPosition(video, url) {
    let savedAtMs = 0
    const save = keepalive => {
      savedAtMs = Date.now()
      const positionSec = video.ended ? 0 : Math.floor(video.currentTime * 10) / 10
      fetch(url, {
        method: 'PUT',
        credentials: 'same-origin',
        keepalive,
        headers: { 'content-type': 'application/json', 'x-csrf-token': window.moviePoint.csrfToken() },
        body: JSON.stringify({ positionSec }),
      }).catch(() => {})
    }
    video.addEventListener('timeupdate', () => {
      if (!video.paused && Date.now() - savedAtMs >= saveEveryMs) save(false)
    })
    video.addEventListener('pause', () => save(false))
    video.addEventListener('ended', () => save(false))
    window.addEventListener('pagehide', () => {
      if (video.currentTime > 0) save(true)
    })
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
    const video = el.closest('#video')?.querySelector('[data-player] video')
    const isWatching = () => !!video && (!video.paused || video.currentTime > 0)
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
      else if (isVideoSection && !video && status === 'processing' && Date.now() - checkedAtMs >= playableCheckMs) checkPlayable()
    })
  }

  initIn(document)
  document.addEventListener('htmx:load', event => initIn(event.detail.elt.parentElement ?? event.detail.elt))
})()
