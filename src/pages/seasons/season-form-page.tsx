// Add a season to a series, or rename/renumber/delete one.
import type { PageRequest } from '../context'
import type { SeasonForm } from './season-form'
import { renderPage } from '../respond'
import { CsrfField, type FormErrors, FormAlert, TextField, messageOf } from '../ui/form'

export type SeasonFormView = {
  title: { id: number; name: string }
  seasonId: number | null
  form: SeasonForm
  errors: FormErrors
  status?: number
}

function DeleteSeason({ page, seasonId }: { page: PageRequest; seasonId: number }) {
  const { t } = page
  return (
    <details class="danger-zone">
      <summary>{t('season.delete')}</summary>
      <form method="post" action={`/seasons/${seasonId}/delete`} class="stack">
        <CsrfField page={page} />
        <p>{t('season.delete_warning')}</p>
        <button type="submit" class="danger">
          {t('season.delete_confirm')}
        </button>
      </form>
    </details>
  )
}

function SeasonFormPage({ page, view }: { page: PageRequest; view: SeasonFormView }) {
  const { t } = page
  const { form, errors } = view
  const isNew = view.seasonId === null
  return (
    <section class="narrow">
      <h1>{isNew ? t('season.add') : t('season.edit')}</h1>
      <p>
        <a href={`/titles/${view.title.id}`}>{view.title.name}</a>
      </p>
      <form method="post" action={isNew ? `/titles/${view.title.id}/seasons` : `/seasons/${view.seasonId}`} class="stack" novalidate>
        <CsrfField page={page} />
        <FormAlert t={t} errors={errors} />
        <TextField
          id="season-number"
          name="number"
          label={t('season.number')}
          value={form.number}
          inputMode="numeric"
          required
          hint={t('season.number_hint')}
          error={errors.number ? messageOf(t, errors.number) : undefined}
        />
        <TextField
          id="season-name"
          name="name"
          label={t('season.name')}
          value={form.name}
          maxLength={300}
          error={errors.name ? messageOf(t, errors.name) : undefined}
        />
        <div class="actions">
          <button type="submit" class="primary">
            {isNew ? t('season.create') : t('season.save')}
          </button>
          <a href={`/titles/${view.title.id}#seasons`}>{t('form.cancel')}</a>
        </div>
      </form>
      {view.seasonId !== null && <DeleteSeason page={page} seasonId={view.seasonId} />}
    </section>
  )
}

export function renderSeasonForm(page: PageRequest, view: SeasonFormView) {
  const heading = view.seasonId === null ? page.t('season.add') : page.t('season.edit')
  return renderPage(page, { title: heading, status: view.status }, <SeasonFormPage page={page} view={view} />)
}
