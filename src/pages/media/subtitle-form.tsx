// Add a subtitle file (.srt or .vtt) to a ready video; the page route hands it to the
// same subtitle service as POST /api/v1/media/:id/subtitles.
import type { Locale } from '../../i18n'
import type { MediaJson } from '../../media/json'
import type { PageContext } from '../context'
import { CsrfField, type FormErrors, FormAlert, messageOf } from '../ui/form'

// The languages offered, as ISO 639-1 codes; names come from Intl in the page's language.
export const subtitleLanguages = ['ru', 'en', 'uk', 'be', 'kk', 'de', 'fr', 'es', 'it', 'pt', 'pl', 'cs', 'tr', 'ja', 'ko', 'zh'] as const

function languageName(code: string, locale: Locale): string {
  const name = new Intl.DisplayNames([locale], { type: 'language' }).of(code) ?? code
  return name.charAt(0).toLocaleUpperCase(locale) + name.slice(1)
}

export function SubtitleForm({ ctx, media, errors = {} }: { ctx: PageContext; media: MediaJson; errors?: FormErrors }) {
  const { t, locale } = ctx
  const id = `subtitle-${media.id}`
  return (
    <details class="subtitle-form" open={Object.keys(errors).length > 0}>
      <summary>{t('subtitles.add')}</summary>
      <form method="post" action={`/media/${media.id}/subtitles`} enctype="multipart/form-data" class="stack">
        <CsrfField ctx={ctx} />
        <FormAlert t={t} errors={errors} />
        <div class={errors.file ? 'field has-error' : 'field'}>
          <label for={`${id}-file`}>{t('subtitles.file')}</label>
          <input id={`${id}-file`} type="file" name="file" accept=".srt,.vtt,text/vtt" required />
          {errors.file && <small class="field-error">{messageOf(t, errors.file)}</small>}
        </div>
        <div class="field">
          <label for={`${id}-lang`}>{t('subtitles.language')}</label>
          <select id={`${id}-lang`} name="lang">
            {subtitleLanguages.map(code => (
              <option value={code} selected={code === locale}>
                {languageName(code, locale)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{t('subtitles.upload')}</button>
      </form>
    </details>
  )
}
