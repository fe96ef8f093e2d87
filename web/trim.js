// Cutting a part of a video in the browser with ffmpeg.wasm (loaded only when trimming is
// used; the file is mounted with WORKERFS, never read into memory whole), so that only that
// part is uploaded. The cut says what it really is: where it starts in the file and how
// long it lasts, measured on the result.
//
// - Lossless: the packets are copied, so the cut starts at the keyframe at or before the
//   start asked for (read from packet flags with ffprobe, no decoding).
// - Exact: starts on the very frame asked for. Only the part up to the first keyframe in
//   the cut is re-encoded and the rest copied (H.264 in 8-bit 4:2:0, joined through
//   MPEG-TS, whose in-band parameter sets let the two parts differ); everything is
//   re-encoded when there is no keyframe in the cut or the video is anything else.
'use strict'
;(() => {
  // Half a frame at 60 fps: a keyframe this close to the start is the start.
  const sameInstantSec = 0.008
  // Keyframes are looked for this far after the start; a GOP longer than that is rare,
  // and such a cut is re-encoded whole.
  const keyframeSearchSec = 60

  let ffmpegReady = null
  let fileCounter = 0
  const scratchName = suffix => {
    fileCounter += 1
    return `/trim${fileCounter}${suffix}`
  }

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const script = document.createElement('script')
      script.src = src
      script.onload = resolve
      script.onerror = () => reject(new Error(`cannot load ${src}`))
      document.head.append(script)
    })
  }

  function loadFfmpeg(root) {
    const absolute = path => new URL(path, window.location.href).href
    ffmpegReady ??= (async () => {
      await loadScript(root.dataset.ffmpegScript)
      const ffmpeg = new window.FFmpegWASM.FFmpeg()
      await ffmpeg.load({ coreURL: absolute(root.dataset.ffmpegCore), wasmURL: absolute(root.dataset.ffmpegWasm) })
      return ffmpeg
    })()
    ffmpegReady.catch(() => {
      ffmpegReady = null
    })
    return ffmpegReady
  }

  const extensionOf = name => /\.([a-z0-9]{1,5})$/i.exec(name)?.[1].toLowerCase() ?? 'mp4'
  const baseNameOf = name => name.replace(/\.[^.]*$/, '') || 'video'
  const isMp4Family = extension => ['mp4', 'm4v', 'mov'].includes(extension)

  // ---- Probing with the same build's ffprobe ----

  // Its exit code is -1 even when it worked (ffmpeg.wasm issue #817): what it wrote tells.
  async function probe(ffmpeg, args) {
    const output = scratchName('.json')
    try {
      await ffmpeg.ffprobe(['-v', 'error', '-of', 'json', ...args, '-o', output])
      const text = new TextDecoder().decode(await ffmpeg.readFile(output).catch(() => new Uint8Array()))
      if (!text.trim()) throw new Error('ffprobe could not read the file')
      return JSON.parse(text)
    } finally {
      await ffmpeg.deleteFile(output).catch(() => {})
    }
  }

  // The first video stream and the keyframes around the start: ffprobe seeks as ffmpeg's
  // -ss does, to the keyframe at or before `startSec`, and reads the packets from there.
  async function sourceAround(ffmpeg, input, startSec, endSec) {
    const until = Math.min(endSec, startSec + keyframeSearchSec)
    const info = await probe(ffmpeg, [
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=codec_name,pix_fmt:format=start_time:packet=pts_time,flags',
      '-read_intervals',
      `${startSec.toFixed(3)}%${until.toFixed(3)}`,
      input,
    ])
    const stream = info.streams?.[0]
    const source = { codec: stream?.codec_name, pixFmt: stream?.pix_fmt, keyframes: keyframesOf(info) }
    // A seek that landed past the start (a file without an index): read from the beginning.
    if (startSec > 0 && !source.keyframes.some(sec => sec <= startSec + sameInstantSec))
      source.keyframes = keyframesOf(await probe(ffmpeg, [...keyframeEntries, '-read_intervals', `0%${until.toFixed(3)}`, input]))
    return source
  }

  const keyframeEntries = ['-select_streams', 'v:0', '-show_entries', 'format=start_time:packet=pts_time,flags']

  // Keyframe times, in seconds from the start of the file.
  function keyframesOf(info) {
    const originSec = Number(info.format?.start_time) || 0
    return (info.packets ?? [])
      .filter(packet => packet.flags?.startsWith('K') && packet.pts_time !== undefined)
      .map(packet => Number(packet.pts_time) - originSec)
  }

  // How the cut is made, and where it really starts.
  function planOf(source, { startSec, endSec, isExact }) {
    const before = source.keyframes.filter(sec => sec <= startSec + sameInstantSec)
    const keyframeSec = before.length ? Math.max(...before) : startSec
    const isOnKeyframe = before.length > 0 && startSec - keyframeSec <= sameInstantSec
    if (!isExact || isOnKeyframe) return { kind: 'copy', startSec: before.length ? keyframeSec : startSec, endSec }
    const joinSec = source.keyframes.find(sec => sec > startSec + sameInstantSec && sec < endSec - sameInstantSec)
    const canJoin = joinSec !== undefined && source.codec === 'h264' && source.pixFmt === 'yuv420p'
    return canJoin ? { kind: 'join', startSec, joinSec, endSec } : { kind: 'encode', startSec, endSec }
  }

  // ---- ffmpeg arguments ----

  const allStreams = ['-map', '0:v?', '-map', '0:a?', '-map', '0:s?', '-dn']
  const range = (input, fromSec, toSec) => ['-ss', fromSec.toFixed(3), '-i', input, '-t', (toSec - fromSec).toFixed(3)]
  const h264 = ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p']
  const aac = ['-c:a', 'aac', '-b:a', '192k']

  // Re-encoded cuts keep MP4 for MP4 sources (their subtitles are mov_text), and go to
  // Matroska for the others, which takes any subtitle format as it is.
  function encodedContainer(extension) {
    return isMp4Family(extension)
      ? { extension: 'mp4', subtitles: ['-c:s', 'mov_text'] }
      : { extension: 'mkv', subtitles: ['-c:s', 'copy'] }
  }

  async function run(ffmpeg, args, log) {
    const code = await ffmpeg.exec(args)
    if (code !== 0) throw new Error(log.slice(-3).join(' ') || `ffmpeg exit ${code}`)
  }

  // Each step of a plan: its ffmpeg runs, writing `output`; the last one reports progress.
  async function copyCut(ffmpeg, { input, plan, output, log }) {
    await run(
      ffmpeg,
      [...range(input, plan.startSec, plan.endSec), ...allStreams, '-c', 'copy', '-avoid_negative_ts', 'make_zero', output],
      log,
    )
  }

  async function encodeCut(ffmpeg, { input, plan, output, subtitles, log }) {
    await run(ffmpeg, [...range(input, plan.startSec, plan.endSec), ...allStreams, ...h264, ...aac, ...subtitles, output], log)
  }

  // The head (start → first keyframe) re-encoded and the tail copied, both as MPEG-TS
  // video, joined by the concat demuxer; audio and subtitles are taken from the whole range.
  async function joinCut(ffmpeg, { input, plan, output, subtitles, log }) {
    const [head, tail, list] = [scratchName('-head.ts'), scratchName('-tail.ts'), scratchName('.txt')]
    try {
      await run(ffmpeg, [...range(input, plan.startSec, plan.joinSec), '-map', '0:v:0', ...h264, '-f', 'mpegts', head], log)
      await run(
        ffmpeg,
        [...range(input, plan.joinSec, plan.endSec), '-map', '0:v:0', '-c', 'copy', '-bsf:v', 'h264_mp4toannexb', '-f', 'mpegts', tail],
        log,
      )
      await ffmpeg.writeFile(list, `file '${head}'\nfile '${tail}'\n`)
      const audioAndSubtitles = ['-map', '1:a?', '-map', '1:s?', ...aac, ...subtitles]
      await run(
        ffmpeg,
        [
          '-f',
          'concat',
          '-safe',
          '0',
          '-i',
          list,
          ...range(input, plan.startSec, plan.endSec),
          '-map',
          '0:v',
          '-c:v',
          'copy',
          ...audioAndSubtitles,
          output,
        ],
        log,
      )
    } finally {
      for (const name of [head, tail, list]) await ffmpeg.deleteFile(name).catch(() => {})
    }
  }

  const cutters = { copy: copyCut, encode: encodeCut, join: joinCut }

  // The length of the result, measured: its video stream's when it says, else the file's.
  async function durationOf(ffmpeg, output) {
    const info = await probe(ffmpeg, ['-show_entries', 'stream=codec_type,duration:format=duration', output])
    const video = (info.streams ?? []).find(stream => stream.codec_type === 'video' && stream.duration !== undefined)
    return Number(video?.duration ?? info.format?.duration) || 0
  }

  // Cuts `file` from `startSec` to `endSec`. Resolves to the cut as a File, with where it
  // starts in the source and its measured length.
  async function cutFile(root, { file, startSec, endSec, isExact, onProgress }) {
    const ffmpeg = await loadFfmpeg(root)
    const folder = scratchName('-source')
    const log = []
    const keepLog = ({ message }) => log.push(message) > 30 && log.shift()
    // `time` is in microseconds of output written by the current step: never shown going back.
    let percent = 0
    const progress = ({ time }) => {
      percent = Math.max(percent, Math.min(100, Math.round(time / 1e4 / (endSec - startSec))))
      onProgress(percent)
    }
    ffmpeg.on('log', keepLog)
    ffmpeg.on('progress', progress)
    let output = null
    try {
      await ffmpeg.createDir(folder)
      await ffmpeg.mount('WORKERFS', { files: [file] }, folder)
      const input = `${folder}/${file.name}`
      const plan = planOf(await sourceAround(ffmpeg, input, startSec, endSec), { startSec, endSec, isExact })
      const container =
        plan.kind === 'copy' ? { extension: extensionOf(file.name), subtitles: [] } : encodedContainer(extensionOf(file.name))
      output = scratchName(`.${container.extension}`)
      await cutters[plan.kind](ffmpeg, { input, plan, output, subtitles: container.subtitles, log })
      const durationSec = await durationOf(ffmpeg, output)
      const data = await ffmpeg.readFile(output)
      // Same name, size and date for the same cut, so tus can resume it after a reload.
      const name = `${baseNameOf(file.name)}-${startSec.toFixed(1)}-${endSec.toFixed(1)}${isExact ? '-exact' : ''}.${container.extension}`
      const type = container.extension === 'mkv' && extensionOf(file.name) !== 'mkv' ? 'video/x-matroska' : file.type
      const cut = new File([data], name, { type, lastModified: file.lastModified })
      return { file: cut, kind: plan.kind, startSec: plan.startSec, durationSec }
    } finally {
      ffmpeg.off('progress', progress)
      ffmpeg.off('log', keepLog)
      if (output) await ffmpeg.deleteFile(output).catch(() => {})
      await ffmpeg.unmount(folder).catch(() => {})
      await ffmpeg.deleteDir(folder).catch(() => {})
    }
  }

  window.moviePointTrim = { cutFile }
})()
