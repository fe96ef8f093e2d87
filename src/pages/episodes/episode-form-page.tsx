// Add an episode to a season, or edit/delete one.
import { descriptionRule, episodeNumberRule, nameRule } from '../../catalogue/rules'
import type { PageRequest } from '../context'
import { renderPage } from '../respond'
import { CsrfField, DangerZone, FormActions, FormAlert, type FormView, TextArea, TextField, formBinding } from '../ui/form'
import type { EpisodeForm } from './episode-form'

export type EpisodeFormView = FormView<EpisodeForm> & { title: { id: number; name: string }; seasonId: number; episodeId: number | null }

function EpisodeFormPage({ page, view }: { page: PageRequest; view: EpisodeFormView }) {
  const { t } = page
  const bind = formBinding(t, view.form, view.errors)
  const isNew = view.episodeId === null
  const action = isNew ? `/seasons/${view.seasonId}/episodes` : `/episodes/${view.episodeId}`
  const back = isNew ? `/titles/${view.title.id}#season-${view.seasonId}` : `/episodes/${view.episodeId}`
  return (
    <section class="narrow">
      <h1>{isNew ? t('episode.add') : t('episode.edit')}</h1>
      <p>
        <a href={`/titles/${view.title.id}`}>{view.title.name}</a>
      </p>
      <form method="post" action={action} class="stack" novalidate>
        <CsrfField page={page} />
        <FormAlert t={t} errors={view.errors} />
        <TextField
          {...bind('number', 'episode-number')}
          label={t('episode.number')}
          inputMode="numeric"
          required
          rule={episodeNumberRule}
        />
        <TextField {...bind('name', 'episode-name')} label={t('episode.name')} required rule={nameRule} />
        <TextArea {...bind('description', 'episode-description')} label={t('episode.description')} rule={descriptionRule} />
        <FormActions submit={isNew ? t('episode.create') : t('episode.save')} cancel={{ href: back, label: t('form.cancel') }} />
      </form>
      {view.episodeId !== null && (
        <DangerZone
          page={page}
          action={`/episodes/${view.episodeId}/delete`}
          summary={t('episode.delete')}
          warning={t('episode.delete_warning')}
          confirm={t('episode.delete_confirm')}
        />
      )}
    </section>
  )
}

export function renderEpisodeForm(page: PageRequest, view: EpisodeFormView) {
  const heading = view.episodeId === null ? page.t('episode.add') : page.t('episode.edit')
  return renderPage(page, { title: heading, status: view.status }, <EpisodeFormPage page={page} view={view} />)
}
