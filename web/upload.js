// Upload glue: the chosen file plays locally at once; a part of it can be cut out in the
// browser (web/trim.js, ffmpeg.wasm) and previewed, with where it really starts and how long
// it is; then tus-js-client sends the part or the whole file, resumably (its fingerprints in
// localStorage survive a reload).
'use strict'
;(() => {
  const speedWindowMs = 5_000
  const minCutSec = 0.5

  // ---- Formatting ----

  const language = () => document.documentElement.lang || 'en'

  function formatBytes(bytes) {
    const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte']
    let value = bytes
    let unit = 0
    while (value >= 1000 && unit < units.length - 1) {
      value /= 1000
      unit += 1
    }
    return new Intl.NumberFormat(language(), {
      style: 'unit',
      unit: units[unit],
      unitDisplay: 'short',
      maximumFractionDigits: unit < 2 ? 0 : 1,
    }).format(value)
  }

  function formatClock(totalSec) {
    const sec = Math.max(0, Math.round(totalSec))
    const h = Math.floor(sec / 3600)
    const m = Math.floor((sec % 3600) / 60)
    const s = String(sec % 60).padStart(2, '0')
    return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`
  }

  // ---- One upload widget: its parts, texts and state ----

  function widgetOf(root) {
    const messages = JSON.parse(root.dataset.messages)
    const part = name => root.querySelector(`[data-${name}]`)
    const names = [
      'file',
      'chosen',
      'local',
      'too-big',
      'trim',
      'start',
      'end',
      'exact',
      'preview',
      'trim-status',
      'cut',
      'upload-cut',
      'upload-whole',
      'progress',
      'bar',
      'status',
      'pause',
      'resume-hint',
    ]
    const ui = Object.fromEntries(names.map(name => [name.replace(/-(\w)/g, (_, c) => c.toUpperCase()), part(name)]))
    return {
      root,
      ui,
      messages,
      say: (key, vars = {}) => messages[key].replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? vars[name] : whole)),
      state: { file: null, durationSec: 0, cut: null, cutKey: '', urls: [], upload: null, isPaused: false, samples: [] },
    }
  }

  function blobUrl(w, blob) {
    const url = URL.createObjectURL(blob)
    w.state.urls.push(url)
    return url
  }

  // ---- Choosing a file: it plays here at once ----

  const isTooBigToTrim = (w, file) => file.size > Number(w.root.dataset.maxTrimBytes)

  function canTrim(w) {
    return w.state.file && !isTooBigToTrim(w, w.state.file) && w.state.durationSec > 0
  }

  function updateTrimControls(w) {
    w.ui.trim.disabled = !canTrim(w)
    w.ui.uploadCut.hidden = !canTrim(w)
  }

  function wireChooser(w) {
    const { ui, state } = w
    ui.file.addEventListener('change', () => {
      const file = ui.file.files[0]
      if (!file) return
      Object.assign(state, { file, cut: null, cutKey: '', durationSec: 0 })
      ui.chosen.hidden = false
      ui.cut.hidden = true
      ui.trimStatus.textContent = ''
      ui.tooBig.hidden = !isTooBigToTrim(w, file)
      ui.local.src = blobUrl(w, file)
      updateTrimControls(w)
    })
    ui.local.addEventListener('loadedmetadata', () => {
      state.durationSec = Number.isFinite(ui.local.duration) ? ui.local.duration : 0
      for (const input of [ui.start, ui.end]) input.max = state.durationSec.toFixed(1)
      ui.start.value = '0'
      ui.end.value = state.durationSec.toFixed(1)
      updateTrimControls(w)
    })
    ui.local.addEventListener('error', () => {
      ui.trimStatus.textContent = w.say('not_playable_here')
      updateTrimControls(w)
    })
  }

  // ---- Trimming ----

  function chosenRange(w) {
    const startSec = Number(w.ui.start.value)
    const endSec = Number(w.ui.end.value)
    const isValid = startSec >= 0 && endSec <= w.state.durationSec + 0.05 && endSec - startSec >= minCutSec
    return isValid ? { startSec, endSec: Math.min(endSec, w.state.durationSec), isExact: w.ui.exact.checked } : null
  }

  function setBusy(w, isBusy) {
    for (const button of [w.ui.preview, w.ui.uploadCut, w.ui.uploadWhole]) button.disabled = isBusy
  }

  // What the cut really is: where it starts in the file, where it ends and its measured
  // length (two decimals: within a frame), and why it starts earlier than asked if it does.
  function describeCut(w, range, made) {
    const seconds = sec => sec.toFixed(2)
    const vars = {
      start: seconds(made.startSec),
      end: seconds(made.startSec + made.durationSec),
      duration: seconds(made.durationSec),
      size: formatBytes(made.file.size),
    }
    const text = w.say('trim_ready', vars)
    const isEarlier = range.startSec - made.startSec >= 0.01
    return isEarlier ? `${text} ${w.say('trim_snapped', { start: vars.start, asked: seconds(range.startSec) })}` : text
  }

  // The cut for the current settings, made once and reused for preview and upload.
  async function currentCut(w) {
    const { ui, state, say } = w
    const range = chosenRange(w)
    if (!range) {
      ui.trimStatus.textContent = say('invalid_range')
      return null
    }
    const key = JSON.stringify(range)
    if (state.cut && state.cutKey === key) return state.cut
    setBusy(w, true)
    ui.trimStatus.textContent = say('loading_ffmpeg')
    try {
      const onProgress = percent => {
        ui.trimStatus.textContent = say('trimming', { percent })
      }
      const made = await window.moviePointTrim.cutFile(w.root, { file: state.file, ...range, onProgress })
      Object.assign(state, { cut: made.file, cutKey: key })
      ui.cut.src = blobUrl(w, made.file)
      ui.cut.hidden = false
      ui.trimStatus.textContent = describeCut(w, range, made)
      return made.file
    } catch (error) {
      ui.trimStatus.textContent = say('trim_failed', { reason: error?.message ?? String(error) })
      return null
    } finally {
      setBusy(w, false)
    }
  }

  function wireTrimming(w) {
    const { ui } = w
    for (const button of w.root.querySelectorAll('[data-set]'))
      button.addEventListener('click', () => {
        const input = button.dataset.set === 'start' ? ui.start : ui.end
        input.value = ui.local.currentTime.toFixed(1)
      })
    ui.preview.addEventListener('click', () => currentCut(w))
    ui.uploadCut.addEventListener('click', async () => {
      const cut = await currentCut(w)
      if (cut) startUpload(w, cut)
    })
    ui.uploadWhole.addEventListener('click', () => {
      if (w.state.file) startUpload(w, w.state.file)
    })
  }

  // ---- Uploading with tus ----

  function showProgress(w, sent, total) {
    const { state, ui, say } = w
    const now = Date.now()
    state.samples.push({ atMs: now, sent })
    while (state.samples.length > 2 && now - state.samples[0].atMs > speedWindowMs) state.samples.shift()
    const first = state.samples[0]
    const bytesPerSec = now > first.atMs ? ((sent - first.sent) * 1000) / (now - first.atMs) : 0
    const percent = total > 0 ? Math.floor((sent / total) * 100) : 0
    ui.bar.value = percent
    let text = say('uploading', { percent, done: formatBytes(sent), total: formatBytes(total), speed: formatBytes(bytesPerSec) })
    if (bytesPerSec > 0 && sent < total) text += ` · ${say('time_left', { time: formatClock((total - sent) / bytesPerSec) })}`
    ui.status.textContent = text
  }

  // The server's error code, in the page's language; anything else (network) is generic.
  function refusalOf(w, error) {
    try {
      const code = JSON.parse(error.originalResponse?.getBody() ?? '')?.error?.code
      if (code in w.messages.errors) return w.messages.errors[code]
    } catch {}
    return w.messages.errors.generic
  }

  function tusOptions(w, file) {
    const { root, ui } = w
    return {
      endpoint: root.dataset.endpoint,
      chunkSize: 32 * 1024 * 1024,
      retryDelays: [0, 1000, 3000, 5000, 10000, 20000],
      metadata: { filename: file.name, filetype: file.type, target: root.dataset.target },
      headers: { 'X-CSRF-Token': window.moviePoint.csrfToken() },
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      // A refusal (403, 413, 415…) will not change on retry; network trouble and 5xx may.
      onShouldRetry: error => {
        const status = error.originalResponse?.getStatus?.() ?? 0
        return status === 0 || status >= 500 || status === 409 || status === 423
      },
      onProgress: (sent, total) => showProgress(w, sent, total),
      onSuccess: () => finished(w),
      onError: error => {
        ui.status.textContent = w.say('failed', { reason: refusalOf(w, error) })
        ui.pause.hidden = true
        ui.file.disabled = false
      },
    }
  }

  async function startUpload(w, file) {
    const { ui, state } = w
    ui.chosen.hidden = true
    ui.file.disabled = true
    ui.progress.hidden = false
    ui.resumeHint.hidden = true
    state.samples = []
    state.upload = new window.tus.Upload(file, tusOptions(w, file))
    // The same file to the same title after a reload: carry on where it stopped.
    const previous = await state.upload.findPreviousUploads()
    const same = previous.find(upload => upload.metadata?.target === w.root.dataset.target)
    if (same) state.upload.resumeFromPreviousUpload(same)
    state.upload.start()
  }

  function wirePause(w) {
    const { ui, state, say } = w
    ui.pause.addEventListener('click', () => {
      state.isPaused = !state.isPaused
      ui.pause.textContent = state.isPaused ? say('resume') : say('pause')
      if (state.isPaused) {
        state.upload?.abort()
        ui.status.textContent = say('paused', { percent: ui.bar.value })
      } else {
        state.samples = []
        state.upload?.start()
      }
    })
  }

  function finished(w) {
    const { ui, state } = w
    ui.bar.value = 100
    ui.status.textContent = w.say('done')
    ui.pause.hidden = true
    for (const url of state.urls) URL.revokeObjectURL(url)
    // The video section comes back with the processing percent.
    window.htmx.ajax('GET', w.root.dataset.refreshUrl, { target: '#video', swap: 'outerHTML' })
  }

  // An upload to this title or episode that a reload interrupted: say how far it got.
  async function showUnfinishedUpload(w) {
    const stored = await window.tus.defaultOptions.urlStorage.findAllUploads()
    const mine = stored.find(upload => upload.metadata?.target === w.root.dataset.target && upload.uploadUrl)
    if (!mine) return
    const answer = await fetch(mine.uploadUrl, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0' } })
    if (!answer.ok) return
    const offset = Number(answer.headers.get('Upload-Offset') ?? 0)
    const percent = mine.size ? Math.floor((offset / mine.size) * 100) : 0
    w.ui.resumeHint.textContent = w.say('resume_hint', { name: mine.metadata.filename ?? '', percent })
    w.ui.resumeHint.hidden = false
  }

  function setUp(root) {
    root.dataset.ready = 'true'
    const w = widgetOf(root)
    wireChooser(w)
    wireTrimming(w)
    wirePause(w)
    showUnfinishedUpload(w).catch(() => {})
  }

  function initIn(root) {
    if (!(root instanceof Element || root instanceof Document)) return
    for (const el of root.querySelectorAll('[data-upload]:not([data-ready])')) setUp(el)
  }

  initIn(document)
  document.addEventListener('htmx:load', event => initIn(event.detail.elt.parentElement ?? event.detail.elt))
})()
