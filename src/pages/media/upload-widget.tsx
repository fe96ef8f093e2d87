// Upload a video to a movie or an episode (its owner or an admin), driven by web/upload.js:
// the chosen file plays locally at once; a part of it can be cut out and previewed in the
// browser (ffmpeg.wasm, fetched only when trimming starts) and only that part uploaded, or
// the whole file goes untouched. tus makes the upload resumable, even after a reload.
import { type ErrorCode, errorCodes, guardErrorCodes } from '../../http/errors'
import type { MessageKey, Translate } from '../../i18n'
import { tusCreationErrorCodes, tusResumeErrorCodes } from '../../uploads/tus'
import { ffmpegUrls } from '../assets'
import type { PageContext } from '../context'
import { CsrfField } from '../ui/form'

export type UploadTarget = { kind: 'title' | 'episode'; id: number }

// ffmpeg.wasm works in 32-bit memory: larger files are uploaded whole, never trimmed.
export const maxTrimBytes = 2 * 1024 ** 3

// Texts the script shows, in the page's language.
const scriptMessages = [
  'upload.too_big_to_trim',
  'upload.loading_ffmpeg',
  'upload.trimming',
  'upload.trim_ready',
  'upload.trim_snapped',
  'upload.trim_failed',
  'upload.invalid_range',
  'upload.uploading',
  'upload.paused',
  'upload.done',
  'upload.failed',
  'upload.pause',
  'upload.resume',
  'upload.time_left',
  'upload.resume_hint',
  'upload.not_playable_here',
] as const satisfies readonly MessageKey[]

// Refusals the upload endpoint may answer (its requests' checks, then tus's), from the
// error registry, shown in the page's language; anything else reads as `generic`.
const uploadErrorCodes: readonly ErrorCode[] = [...new Set([...guardErrorCodes, ...tusCreationErrorCodes, ...tusResumeErrorCodes])]

function messagesJson(t: Translate): string {
  const texts = Object.fromEntries(scriptMessages.map(key => [key.slice('upload.'.length), t(key)]))
  const errors = Object.fromEntries([
    ...uploadErrorCodes.map(code => [code, t(errorCodes[code].messageKey)]),
    ['generic', t('error.generic')],
  ])
  return JSON.stringify({ ...texts, errors })
}

// Without JavaScript: one plain form post of the whole file. Its body streams to disk, so
// the `_csrf` field must come before the file part: the server checks it before writing
// (never in the action's query string, which lands in logs and history).
function plainUploadAction(target: UploadTarget): string {
  return `/${target.kind === 'title' ? 'titles' : 'episodes'}/${target.id}/video`
}

// One end of the trimmed part: a time in seconds, and a button that takes the preview's current time.
function TrimPoint({ t, which, widgetKey }: { t: Translate; which: 'start' | 'end'; widgetKey: string }) {
  const id = `${which}-${widgetKey}`
  const data = which === 'start' ? { 'data-start': true } : { 'data-end': true }
  return (
    <div class="field">
      <label for={id}>{t(which === 'start' ? 'upload.start' : 'upload.end')}</label>
      <input id={id} type="number" min={0} step={0.1} value="0" {...data} inputMode="decimal" />
      <button type="button" data-set={which}>
        {t(which === 'start' ? 'upload.set_start' : 'upload.set_end')}
      </button>
    </div>
  )
}

export function UploadWidget({ ctx, target, refreshUrl }: { ctx: PageContext; target: UploadTarget; refreshUrl: string }) {
  const { t } = ctx
  const key = `${target.kind}-${target.id}`
  const ffmpeg = ffmpegUrls()
  return (
    <section
      class="upload"
      aria-labelledby={`upload-heading-${key}`}
      data-upload
      data-target={`${target.kind}:${target.id}`}
      data-endpoint="/api/v1/uploads"
      data-refresh-url={refreshUrl}
      data-max-trim-bytes={maxTrimBytes}
      data-ffmpeg-script={ffmpeg.script}
      data-ffmpeg-core={ffmpeg.core}
      data-ffmpeg-wasm={ffmpeg.wasm}
      data-messages={messagesJson(t)}
    >
      <h3 id={`upload-heading-${key}`}>{t('upload.heading')}</h3>
      <noscript>
        <form method="post" action={plainUploadAction(target)} enctype="multipart/form-data" class="stack">
          <CsrfField ctx={ctx} />
          <p>{t('upload.needs_js')}</p>
          <div class="field">
            <label for={`plain-file-${key}`}>{t('upload.choose')}</label>
            <input id={`plain-file-${key}`} type="file" name="file" required accept="video/*,.mkv,.avi,.mov,.m4v,.ts,.webm" />
          </div>
          <div class="actions">
            <button type="submit" class="primary">
              {t('upload.send_whole')}
            </button>
          </div>
        </form>
      </noscript>
      <p class="notice" data-resume-hint hidden />
      <div class="field">
        <label for={`file-${key}`}>{t('upload.choose')}</label>
        <input id={`file-${key}`} type="file" accept="video/*,.mkv,.avi,.mov,.m4v,.ts,.webm" data-file />
      </div>
      <div data-chosen hidden class="stack">
        {/* biome-ignore lint/a11y/useMediaCaption: a preview of the uploader's own local file, which has no caption file */}
        <video data-local controls playsinline aria-label={t('upload.local_preview')} />
        <p class="warning" data-too-big hidden>
          {t('upload.too_big_to_trim')}
        </p>
        <fieldset class="trim" data-trim>
          <legend>{t('upload.trim')}</legend>
          <div class="range-pair">
            <TrimPoint t={t} which="start" widgetKey={key} />
            <TrimPoint t={t} which="end" widgetKey={key} />
          </div>
          <div class="field checkbox">
            <input id={`exact-${key}`} type="checkbox" data-exact />
            <label for={`exact-${key}`}>{t('upload.exact_cut')}</label>
          </div>
          <div class="actions">
            <button type="button" data-preview>
              {t('upload.preview_cut')}
            </button>
          </div>
          <p role="status" data-trim-status />
          {/* biome-ignore lint/a11y/useMediaCaption: a preview of the part cut from the uploader's own file, which has no caption file */}
          <video data-cut controls playsinline hidden aria-label={t('upload.cut_preview')} />
        </fieldset>
        <div class="actions">
          <button type="button" class="primary" data-upload-cut>
            {t('upload.send_cut')}
          </button>
          <button type="button" data-upload-whole>
            {t('upload.send_whole')}
          </button>
        </div>
      </div>
      <div data-progress hidden class="stack">
        <progress max={100} value={0} data-bar aria-label={t('upload.progress_label')} />
        <p class="upload-status" role="status" data-status />
        <div class="actions">
          <button type="button" data-pause>
            {t('upload.pause')}
          </button>
        </div>
      </div>
    </section>
  )
}
