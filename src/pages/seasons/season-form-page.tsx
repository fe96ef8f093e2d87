// Add a season to a series, or rename/renumber/delete one.
import { optionalNameRule, seasonNumberRule } from '../../catalogue/rules'
import type { PageRequest } from '../context'
import { renderPage } from '../respond'
import { CsrfField, DangerZone, FormActions, FormAlert, type FormView, TextField, formBinding } from '../ui/form'
import type { SeasonForm } from './season-form'

export type SeasonFormView = FormView<SeasonForm> & { title: { id: number; name: string }; seasonId: number | null }

function SeasonFormPage({ page, view }: { page: PageRequest; view: SeasonFormView }) {
  const { t } = page
  const bind = formBinding(t, view.form, view.errors)
  const isNew = view.seasonId === null
  const action = isNew ? `/titles/${view.title.id}/seasons` : `/seasons/${view.seasonId}`
  return (
    <section class="narrow">
      <h1>{isNew ? t('season.add') : t('season.edit')}</h1>
      <p>
        <a href={`/titles/${view.title.id}`}>{view.title.name}</a>
      </p>
      <form method="post" action={action} class="stack" novalidate>
        <CsrfField page={page} />
        <FormAlert t={t} errors={view.errors} />
        <TextField
          {...bind('number', 'season-number')}
          label={t('season.number')}
          inputMode="numeric"
          required
          rule={seasonNumberRule}
          hint={t('season.number_hint')}
        />
        <TextField {...bind('name', 'season-name')} label={t('season.name')} rule={optionalNameRule} />
        <FormActions
          submit={isNew ? t('season.create') : t('season.save')}
          cancel={{ href: `/titles/${view.title.id}#seasons`, label: t('form.cancel') }}
        />
      </form>
      {view.seasonId !== null && (
        <DangerZone
          page={page}
          action={`/seasons/${view.seasonId}/delete`}
          summary={t('season.delete')}
          warning={t('season.delete_warning')}
          confirm={t('season.delete_confirm')}
        />
      )}
    </section>
  )
}

export function renderSeasonForm(page: PageRequest, view: SeasonFormView) {
  const heading = view.seasonId === null ? page.t('season.add') : page.t('season.edit')
  return renderPage(page, { title: heading, status: view.status }, <SeasonFormPage page={page} view={view} />)
}
