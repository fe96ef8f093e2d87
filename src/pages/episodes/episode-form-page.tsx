// Add an episode to a season, or edit/delete one.
import { descriptionRule, episodeNumberRule, nameRule } from '../../catalogue/rules'
import type { PageContext } from '../context'
import { type FormView, TextArea, TextField, formBinding } from '../ui/form'
import { renderFormPage } from '../ui/form-page'
import type { EpisodeForm } from './episode-form'

export type EpisodeFormView = FormView<EpisodeForm> & { title: { id: number; name: string }; seasonId: number; episodeId: number | null }

export function renderEpisodeForm(ctx: PageContext, view: EpisodeFormView) {
  const { t } = ctx
  const bind = formBinding(t, view.form, view.errors)
  const parent = { href: `/titles/${view.title.id}`, label: view.title.name }
  const frame =
    view.episodeId === null
      ? {
          heading: t('episode.add'),
          action: `/seasons/${view.seasonId}/episodes`,
          submit: t('episode.create'),
          cancel: `${parent.href}#season-${view.seasonId}`,
        }
      : {
          heading: t('episode.edit'),
          action: `/episodes/${view.episodeId}`,
          submit: t('episode.save'),
          cancel: `/episodes/${view.episodeId}`,
        }
  const remove = view.episodeId === null ? undefined : { noun: 'episode' as const, id: view.episodeId }
  return renderFormPage(
    ctx,
    { ...frame, parent, remove },
    view,
    <>
      <TextField
        {...bind('number', 'episode-number')}
        label={t('episode.number')}
        inputMode="numeric"
        required
        rule={episodeNumberRule}
      />
      <TextField {...bind('name', 'episode-name')} label={t('episode.name')} required rule={nameRule} />
      <TextArea {...bind('description', 'episode-description')} label={t('episode.description')} rule={descriptionRule} />
    </>,
  )
}
