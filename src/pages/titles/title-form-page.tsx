// Create or edit a title. Errors appear next to their fields and what was typed stays.
import type { PageRequest } from '../context'
import type { TitleForm } from './title-form'
import { renderPage } from '../respond'
import { descriptionRule, nameRule, optionalNameRule, titleKinds, yearRule } from '../../catalogue/rules'
import { digitsOf } from '../ui/numbers'
import { CsrfField, type FormErrors, FormActions, FormAlert, TextArea, TextField, errorText, formBinding } from '../ui/form'

type TitleFormView = { form: TitleForm; errors: FormErrors; titleId: number | null; status?: number }

function KindChoice({ page, form, errors }: { page: PageRequest; form: TitleForm; errors: FormErrors }) {
  const { t } = page
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

function TitleFormPage({ page, view }: { page: PageRequest; view: TitleFormView }) {
  const { t } = page
  const { form, errors } = view
  const bind = formBinding(t, form, errors)
  const isNew = view.titleId === null
  return (
    <section class="narrow wide-form">
      <h1>{isNew ? t('title.new_heading') : t('title.edit_heading')}</h1>
      <form method="post" action={isNew ? '/titles' : `/titles/${view.titleId}`} class="stack" novalidate>
        <CsrfField page={page} />
        <FormAlert t={t} errors={errors} />
        <KindChoice page={page} form={form} errors={errors} />
        <TextField {...bind('name')} label={t('title.name')} required rule={nameRule} />
        <TextField {...bind('originalName')} label={t('title.original_name')} rule={optionalNameRule} />
        <TextField {...bind('year')} label={t('title.year')} inputMode="numeric" {...yearLimits} hint={t('title.year_hint')} />
        <TextField {...bind('genres')} label={t('title.genres')} hint={t('title.genres_hint')} />
        <TextArea {...bind('description')} label={t('title.description')} rule={descriptionRule} rows={6} />
        <FormActions
          submit={isNew ? t('title.create') : t('title.save')}
          cancel={{ href: isNew ? '/' : `/titles/${view.titleId}`, label: t('form.cancel') }}
        />
      </form>
    </section>
  )
}

export function renderTitleForm(page: PageRequest, view: TitleFormView) {
  const title = view.titleId === null ? page.t('title.new_heading') : page.t('title.edit_heading')
  return renderPage(page, { title, status: view.status }, <TitleFormPage page={page} view={view} />)
}
