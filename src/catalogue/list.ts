// GET /titles: search, filters, sorts, pages. Three queries whatever the page size: the
// ids of the page, the total (both skipped when recently computed: list-cache.ts), and the
// documents of those ids (titlesWithExtras).
import { type SQL, and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm'
import type { Db } from '../db/client'
import { titleGenres, titles } from '../db/schema'
import { offsetOf, pageOf } from '../http/model'
import { genreKey } from './fields'
import { type CachedPage, cacheGeneration, cachedPage, rememberPage } from './list-cache'
import type { Title, TitleListQuery } from './model'
import { type SearchQuery, searchMatches, searchOrder, searchQuery, searchRowIds } from './search'
import { titlesWithExtras } from './titles'

export type TitlePage = { items: Title[]; page: number; perPage: number; total: number }

type Filters = { search: SearchQuery | null; kind?: 'movie' | 'series'; year?: number; genre: string | null }

function filtersOf(query: TitleListQuery): Filters {
  const genre = query.genre === undefined ? '' : genreKey(query.genre)
  // A q with no words at all (empty, or only punctuation) lists everything, like an empty search box.
  const search = query.q === undefined ? null : searchQuery(query.q)
  return { search, kind: query.kind, year: query.year, genre: genre || null }
}

function hasTitleFilters({ kind, year, genre }: Filters): boolean {
  return kind !== undefined || year !== undefined || genre !== null
}

// Filters as SQL on `titles`; a search adds "is among the matches", which costs no scoring.
function titleCondition(db: Db, { search, kind, year, genre }: Filters): SQL | undefined {
  return and(
    kind ? eq(titles.kind, kind) : undefined,
    year !== undefined ? eq(titles.year, year) : undefined,
    genre
      ? inArray(titles.id, db.select({ id: titleGenres.titleId }).from(titleGenres).where(eq(titleGenres.genreKey, genre)))
      : undefined,
    search ? inArray(titles.id, searchRowIds(search)) : undefined,
  )
}

function listOrder(sort: NonNullable<TitleListQuery['sort']>): SQL[] {
  switch (sort) {
    case 'rating':
      // Best mean first; unrated titles after every rated one.
      return [
        sql`${titles.ratingCount} = 0`,
        sql`CAST(${titles.ratingSum} AS REAL) / ${titles.ratingCount} DESC`,
        desc(titles.ratingCount),
        desc(titles.id),
      ]
    case 'year':
      // SQLite sorts NULL below every number, so titles without a year come last.
      return [desc(titles.year), desc(titles.id)]
    case 'name':
      return [asc(titles.nameKey), asc(titles.id)]
    case 'added':
      // Ids grow with every insert, so this is creation order, walked on the primary key.
      return [desc(titles.id)]
  }
}

// A search without an explicit sort ranks by relevance, and only then are matches scored:
// in the index alone when nothing else narrows the list, else joined with the titles.
function pageQuery(db: Db, filters: Filters, sort: TitleListQuery['sort']) {
  const { search } = filters
  if (!search || sort)
    return db
      .select({ id: titles.id })
      .from(titles)
      .where(titleCondition(db, filters))
      .orderBy(...listOrder(sort ?? 'added'))
  if (!hasTitleFilters(filters))
    return db
      .select({ id: sql<number>`rowid` })
      .from(sql`titles_search`)
      .where(sql`titles_search MATCH ${search.matches}`)
      .orderBy(...searchOrder(search), sql`rowid DESC`)
  return db
    .select({ id: titles.id })
    .from(titles)
    .innerJoin(sql`${searchMatches(search)} AS matches`, sql`matches.title_id = titles.id`)
    .where(titleCondition(db, { ...filters, search: null }))
    .orderBy(sql`matches.tier`, sql`matches.rank`, desc(titles.id))
}

// The total, counted in the one table that answers it alone when there is one.
function totalQuery(db: Db, filters: Filters) {
  const { search, kind, year, genre } = filters
  if (search && !hasTitleFilters(filters))
    return db.select({ total: count() }).from(sql`titles_search`).where(sql`titles_search MATCH ${search.matches}`)
  if (genre && !search && kind === undefined && year === undefined)
    return db.select({ total: count() }).from(titleGenres).where(eq(titleGenres.genreKey, genre))
  return db.select({ total: count() }).from(titles).where(titleCondition(db, filters))
}

async function findPage(db: Db, query: TitleListQuery): Promise<CachedPage> {
  const paging = pageOf(query)
  const filters = filtersOf(query)
  const key = JSON.stringify([filters, query.sort, paging])
  const cached = cachedPage(db, key)
  if (cached) return cached
  const generation = cacheGeneration(db)
  const rows = await pageQuery(db, filters, query.sort).limit(paging.perPage).offset(offsetOf(paging))
  const [{ total }] = await totalQuery(db, filters)
  const found = { ids: rows.map(row => row.id), total }
  rememberPage(db, key, { ...found, isRatingOrder: query.sort === 'rating', generation })
  return found
}

export async function listTitles(db: Db, query: TitleListQuery, viewerId: number | null): Promise<TitlePage> {
  const { ids, total } = await findPage(db, query)
  return { items: await titlesWithExtras(db, ids, viewerId), ...pageOf(query), total }
}
