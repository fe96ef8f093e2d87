// Add a season to a series, or rename/renumber/delete one.
import { optionalNameRule, seasonNumberRule } from '../../catalogue/rules'
import type { PageContext } from '../context'
import { type FormView, TextField, formBinding } from '../ui/form'
import { renderFormPage } from '../ui/form-page'
import type { SeasonForm } from './season-form'

export type SeasonFormView = FormView<SeasonForm> & { title: { id: number; name: string }; seasonId: number | null }

export function renderSeasonForm(ctx: PageContext, view: SeasonFormView) {
  const { t } = ctx
  const bind = formBinding(t, view.form, view.errors)
  const titleHref = `/titles/${view.title.id}`
  const parent = { href: titleHref, label: view.title.name }
  const frame =
    view.seasonId === null
      ? { heading: t('season.add'), action: `${titleHref}/seasons`, submit: t('season.create') }
      : {
          heading: t('season.edit'),
          action: `/seasons/${view.seasonId}`,
          submit: t('season.save'),
          remove: { noun: 'season' as const, id: view.seasonId },
        }
  const number = {
    label: t('season.number'),
    inputMode: 'numeric' as const,
    required: true,
    rule: seasonNumberRule,
    hint: t('season.number_hint'),
  }
  return renderFormPage(
    ctx,
    { ...frame, parent, cancel: `${titleHref}#seasons` },
    view,
    <>
      <TextField {...bind('number', 'season-number')} {...number} />
      <TextField {...bind('name', 'season-name')} label={t('season.name')} rule={optionalNameRule} />
    </>,
  )
}
