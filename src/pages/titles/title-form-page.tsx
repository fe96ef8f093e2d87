// Create or edit a title. Errors appear next to their fields and what was typed stays.
import type { PageRequest } from '../context'
import type { TitleForm } from './title-form'
import { renderPage } from '../respond'
import { CsrfField, type FormErrors, FormAlert, TextArea, TextField, messageOf } from '../ui/form'

type TitleFormView = { form: TitleForm; errors: FormErrors; titleId: number | null; status?: number }

function KindChoice({ page, form, errors }: { page: PageRequest; form: TitleForm; errors: FormErrors }) {
  const { t } = page
  return (
    <fieldset class={errors.kind ? 'has-error' : undefined} aria-describedby={errors.kind ? 'kind-error' : undefined}>
      <legend>{t('title.kind')}</legend>
      {(['movie', 'series'] as const).map(kind => (
        <div class="field checkbox">
          <input id={`kind-${kind}`} type="radio" name="kind" value={kind} checked={form.kind === kind} />
          <label for={`kind-${kind}`}>{kind === 'movie' ? t('title.kind_movie') : t('title.kind_series')}</label>
        </div>
      ))}
      {errors.kind && (
        <small id="kind-error" class="field-error">
          {messageOf(t, errors.kind)}
        </small>
      )}
    </fieldset>
  )
}

function TitleFormPage({ page, view }: { page: PageRequest; view: TitleFormView }) {
  const { t } = page
  const { form, errors } = view
  const error = (field: keyof TitleForm) => (errors[field] ? messageOf(t, errors[field]) : undefined)
  const isNew = view.titleId === null
  return (
    <section class="narrow wide-form">
      <h1>{isNew ? t('title.new_heading') : t('title.edit_heading')}</h1>
      <form method="post" action={isNew ? '/titles' : `/titles/${view.titleId}`} class="stack" novalidate>
        <CsrfField page={page} />
        <FormAlert t={t} errors={errors} />
        <KindChoice page={page} form={form} errors={errors} />
        <TextField id="name" name="name" label={t('title.name')} value={form.name} required maxLength={300} error={error('name')} />
        <TextField
          id="originalName"
          name="originalName"
          label={t('title.original_name')}
          value={form.originalName}
          maxLength={300}
          error={error('originalName')}
        />
        <TextField
          id="year"
          name="year"
          label={t('title.year')}
          value={form.year}
          inputMode="numeric"
          maxLength={4}
          hint={t('title.year_hint')}
          error={error('year')}
        />
        <TextField
          id="genres"
          name="genres"
          label={t('title.genres')}
          value={form.genres}
          hint={t('title.genres_hint')}
          error={error('genres')}
        />
        <TextArea
          id="description"
          name="description"
          label={t('title.description')}
          value={form.description}
          maxLength={10_000}
          rows={6}
          error={error('description')}
        />
        <div class="actions">
          <button type="submit" class="primary">
            {isNew ? t('title.create') : t('title.save')}
          </button>
          <a href={isNew ? '/' : `/titles/${view.titleId}`}>{t('form.cancel')}</a>
        </div>
      </form>
    </section>
  )
}

export function renderTitleForm(page: PageRequest, view: TitleFormView) {
  const title = view.titleId === null ? page.t('title.new_heading') : page.t('title.edit_heading')
  return renderPage(page, { title, status: view.status }, <TitleFormPage page={page} view={view} />)
}
