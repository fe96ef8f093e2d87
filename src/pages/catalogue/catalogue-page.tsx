// The catalogue: a search form that is also the URL, and the results fragment that htmx
// swaps as you type (debounced), filter, sort or turn pages.
import type { Title } from '../../catalogue/model'
import type { VideoBadge } from '../../media/mine'
import { searchRule, type TitleKind, titleKinds, titleSorts, yearRule } from '../../catalogue/rules'
import { ruleAttributes } from '../ui/rule-vars'
import type { MessageKey } from '../../i18n'
import { foldText } from '../../catalogue/service'
import type { PageContext } from '../context'
import { type CatalogueQuery, catalogueHref, cataloguePerPage } from './catalogue-query'
import { Pagination } from '../ui/pagination'
import { Poster, RatingBadge, titleFacts } from '../ui/title-bits'
import { genreLabel } from './genres'
import { ContinueRow } from './continue-row'
import type { ContinueItem } from '../../watch/model'

export type CatalogueView = {
  query: CatalogueQuery
  items: Title[]
  total: number
  genres: string[]
  // Only on the home page as it first opens, for a signed-in user.
  continueWatching: ContinueItem[]
  // The viewer's own videos still processing or failed, by title (media/mine.ts).
  badges: Map<number, VideoBadge>
}

function TitleCard({ ctx, title, badge }: { ctx: PageContext; title: Title; badge?: VideoBadge }) {
  const { t, locale } = ctx
  return (
    <li class="card">
      <a href={`/titles/${title.id}`}>
        <Poster url={title.posterUrl} name={title.name} />
        <div class="meta">
          <h2>{title.name}</h2>
          {title.originalName && title.originalName !== title.name && <span class="original">{title.originalName}</span>}
          <span class="facts">{titleFacts(t, title)}</span>
          <RatingBadge t={t} locale={locale} rating={title.rating} />
          {badge && <span class={`video-badge ${badge}`}>{t(`catalogue.badge_${badge}`)}</span>}
        </div>
      </a>
    </li>
  )
}

export function CatalogueResults({ ctx, view }: { ctx: PageContext; view: CatalogueView }) {
  const { t } = ctx
  const paging = { page: view.query.page, perPage: cataloguePerPage, total: view.total }
  const found = view.total === 0 ? t('catalogue.nothing_found') : t('catalogue.found', { count: view.total })
  return (
    <section id="results" aria-label={t('catalogue.results')}>
      <p class="result-count" role="status">
        {found}
      </p>
      <ul class="cards">
        {view.items.map(title => (
          <TitleCard ctx={ctx} title={title} badge={view.badges.get(title.id)} />
        ))}
      </ul>
      <Pagination t={t} {...paging} hrefFor={n => catalogueHref(view.query, n)} target="#results" />
    </section>
  )
}

const kindLabels: Record<TitleKind, MessageKey> = { movie: 'catalogue.kind_movies', series: 'catalogue.kind_series' }

function Filters({ ctx, view }: { ctx: PageContext; view: CatalogueView }) {
  const { t } = ctx
  const { query } = view
  // Genres match whatever the case ("Криминал" is "криминал"): the list holds folded keys.
  const chosenGenre = foldText(query.genre)
  const genres = chosenGenre && !view.genres.includes(chosenGenre) ? [chosenGenre, ...view.genres] : view.genres
  const sorts = [['', t('catalogue.sort_default')], ...titleSorts.map(sort => [sort, t(`catalogue.sort_${sort}`)])]
  return (
    <div class="filters">
      <div class="field">
        <label for="kind">{t('catalogue.kind')}</label>
        <select id="kind" name="kind">
          <option value="">{t('catalogue.kind_any')}</option>
          {titleKinds.map(kind => (
            <option value={kind} selected={query.kind === kind}>
              {t(kindLabels[kind])}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="genre">{t('catalogue.genre')}</label>
        <select id="genre" name="genre">
          <option value="">{t('catalogue.genre_any')}</option>
          {genres.map(genre => (
            <option value={genre} selected={genre === chosenGenre}>
              {genreLabel(genre)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="year">{t('catalogue.year')}</label>
        <input id="year" name="year" type="number" {...ruleAttributes(yearRule)} inputMode="numeric" value={query.year ?? ''} />
      </div>
      <div class="field">
        <label for="sort">{t('catalogue.sort')}</label>
        <select id="sort" name="sort">
          {sorts.map(([value, label]) => (
            <option value={value} selected={value === query.sort}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <button type="submit">{t('catalogue.apply')}</button>
    </div>
  )
}

export function CataloguePage({ ctx, view }: { ctx: PageContext; view: CatalogueView }) {
  const { t } = ctx
  return (
    <>
      <h1 class="visually-hidden">{t('catalogue.heading')}</h1>
      <ContinueRow ctx={ctx} items={view.continueWatching} />
      {/* Typing waits 300 ms for a pause; a newer request replaces one still running. */}
      {/* biome-ignore lint/a11y/useSemanticElements: role=search on the form is announced by every browser; <search> only by those since 2023 */}
      <form
        role="search"
        class="search-form"
        action="/"
        method="get"
        hx-get="/"
        hx-trigger="input delay:300ms, change, submit"
        hx-target="#results"
        hx-swap="outerHTML"
        hx-push-url="true"
        hx-sync="this:replace"
      >
        <div class="field">
          <label for="q">{t('catalogue.search')}</label>
          <input
            id="q"
            name="q"
            type="search"
            value={view.query.q}
            {...ruleAttributes(searchRule)}
            placeholder={t('catalogue.search_placeholder')}
            autocomplete="off"
          />
        </div>
        <Filters ctx={ctx} view={view} />
      </form>
      <CatalogueResults ctx={ctx} view={view} />
    </>
  )
}
