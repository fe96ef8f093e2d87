// Add an episode to a season, or edit/delete one.
import type { PageRequest } from '../context'
import type { EpisodeForm } from './episode-form'
import { renderPage } from '../respond'
import { CsrfField, type FormErrors, FormAlert, TextArea, TextField, messageOf } from '../ui/form'

export type EpisodeFormView = {
  title: { id: number; name: string }
  seasonId: number
  episodeId: number | null
  form: EpisodeForm
  errors: FormErrors
  status?: number
}

function DeleteEpisode({ page, episodeId }: { page: PageRequest; episodeId: number }) {
  const { t } = page
  return (
    <details class="danger-zone">
      <summary>{t('episode.delete')}</summary>
      <form method="post" action={`/episodes/${episodeId}/delete`} class="stack">
        <CsrfField page={page} />
        <p>{t('episode.delete_warning')}</p>
        <button type="submit" class="danger">
          {t('episode.delete_confirm')}
        </button>
      </form>
    </details>
  )
}

function EpisodeFormPage({ page, view }: { page: PageRequest; view: EpisodeFormView }) {
  const { t } = page
  const { form, errors } = view
  const isNew = view.episodeId === null
  const error = (field: keyof EpisodeForm) => (errors[field] ? messageOf(t, errors[field]) : undefined)
  return (
    <section class="narrow">
      <h1>{isNew ? t('episode.add') : t('episode.edit')}</h1>
      <p>
        <a href={`/titles/${view.title.id}`}>{view.title.name}</a>
      </p>
      <form method="post" action={isNew ? `/seasons/${view.seasonId}/episodes` : `/episodes/${view.episodeId}`} class="stack" novalidate>
        <CsrfField page={page} />
        <FormAlert t={t} errors={errors} />
        <TextField
          id="episode-number"
          name="number"
          label={t('episode.number')}
          value={form.number}
          inputMode="numeric"
          required
          error={error('number')}
        />
        <TextField
          id="episode-name"
          name="name"
          label={t('episode.name')}
          value={form.name}
          required
          maxLength={300}
          error={error('name')}
        />
        <TextArea
          id="episode-description"
          name="description"
          label={t('episode.description')}
          value={form.description}
          maxLength={10_000}
          error={error('description')}
        />
        <div class="actions">
          <button type="submit" class="primary">
            {isNew ? t('episode.create') : t('episode.save')}
          </button>
          <a href={isNew ? `/titles/${view.title.id}#season-${view.seasonId}` : `/episodes/${view.episodeId}`}>{t('form.cancel')}</a>
        </div>
      </form>
      {view.episodeId !== null && <DeleteEpisode page={page} episodeId={view.episodeId} />}
    </section>
  )
}

export function renderEpisodeForm(page: PageRequest, view: EpisodeFormView) {
  const heading = view.episodeId === null ? page.t('episode.add') : page.t('episode.edit')
  return renderPage(page, { title: heading, status: view.status }, <EpisodeFormPage page={page} view={view} />)
}
