// A season of a series: where it belongs, its episodes with links, and for the title's
// owner (or an admin) the same controls the title page shows beside it.
import type { TitleDetailJson } from '../../catalogue/model'
import { canModify } from '../../http/rights'
import type { PageContext } from '../context'
import { EpisodeList, seasonLabel } from '../titles/title-page'

export type SeasonView = {
  season: TitleDetailJson['seasons'][number]
  title: { id: number; name: string; ownerId: number | null }
}

export function SeasonPage({ ctx, view }: { ctx: PageContext; view: SeasonView }) {
  const { t } = ctx
  const { season, title } = view
  return (
    <article class="season-page">
      <nav aria-label={t('season.breadcrumbs')} class="breadcrumbs">
        <a href={`/titles/${title.id}`}>{title.name}</a> › <a href={`/titles/${title.id}#seasons`}>{t('season.heading')}</a>
      </nav>
      <h1>{seasonLabel(t, season)}</h1>
      <section aria-labelledby="episodes-heading">
        <h2 id="episodes-heading">{t('season.episodes')}</h2>
        <EpisodeList ctx={ctx} episodes={season.episodes} />
      </section>
      {canModify(ctx.user, title.ownerId) && (
        <p class="owner-actions">
          <a class="button primary" href={`/seasons/${season.id}/episodes/new`}>
            {t('episode.add')}
          </a>{' '}
          <a class="button" href={`/seasons/${season.id}/edit`}>
            {t('season.edit')}
          </a>
        </p>
      )}
    </article>
  )
}
