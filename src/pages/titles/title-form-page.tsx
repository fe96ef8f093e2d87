// Create or edit a title. Errors appear next to their fields and what was typed stays.
import type { PageContext } from '../context'
import type { TitleForm } from './title-form'
import { descriptionRule, nameRule, optionalNameRule, titleKinds, yearRule } from '../../catalogue/rules'
import { digitsOf } from '../ui/numbers'
import { type FormErrors, type FormView, TextArea, TextField, errorText, formBinding } from '../ui/form'
import { renderFormPage } from '../ui/form-page'

type TitleFormView = FormView<TitleForm> & { titleId: number | null }

function KindChoice({ ctx, form, errors }: { ctx: PageContext; form: TitleForm; errors: FormErrors }) {
  const { t } = ctx
  return (
    <fieldset class={errors.kind ? 'has-error' : undefined} aria-describedby={errors.kind ? 'kind-error' : undefined}>
      <legend>{t('title.kind')}</legend>
      {titleKinds.map(kind => (
        <div class="field checkbox">
          <input id={`kind-${kind}`} type="radio" name="kind" value={kind} checked={form.kind === kind} />
          <label for={`kind-${kind}`}>{kind === 'movie' ? t('title.kind_movie') : t('title.kind_series')}</label>
        </div>
      ))}
      {errors.kind && (
        <small id="kind-error" class="field-error">
          {errorText(t, errors, 'kind')}
        </small>
      )}
    </fieldset>
  )
}

// Four digits at most, within the year rule.
const yearLimits = { rule: yearRule, maxLength: digitsOf(yearRule.maximum) }

export function renderTitleForm(ctx: PageContext, view: TitleFormView) {
  const { t } = ctx
  const bind = formBinding(t, view.form, view.errors)
  const isNew = view.titleId === null
  const frame = isNew
    ? { heading: t('title.new_heading'), action: '/titles', submit: t('title.create'), cancel: '/' }
    : { heading: t('title.edit_heading'), action: `/titles/${view.titleId}`, submit: t('title.save'), cancel: `/titles/${view.titleId}` }
  return renderFormPage(
    ctx,
    { ...frame, isWide: true },
    view,
    <>
      <KindChoice ctx={ctx} form={view.form} errors={view.errors} />
      <TextField {...bind('name')} label={t('title.name')} required rule={nameRule} />
      <TextField {...bind('originalName')} label={t('title.original_name')} rule={optionalNameRule} />
      <TextField {...bind('year')} label={t('title.year')} inputMode="numeric" {...yearLimits} hint={t('title.year_hint')} />
      <TextField {...bind('genres')} label={t('title.genres')} hint={t('title.genres_hint')} />
      <TextArea {...bind('description')} label={t('title.description')} rule={descriptionRule} rows={6} />
    </>,
  )
}
