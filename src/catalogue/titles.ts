// Titles: their documents and writes (the list is in list.ts). Every write of a title row
// goes in one batch (one transaction) with its search-index row and genre keys.
import { type SQL, eq, inArray, or, sql } from 'drizzle-orm'
import type { User } from '../auth/users'
import { speedTrickOn } from '../config/speed-tricks'
import type { Db } from '../db/client'
import type { Store } from '../deps'
import { episodes, media, seasons, titleGenres, titles } from '../db/schema'
import { conflict, notFound } from '../http/errors'
import { assertCanModify } from '../http/rights'
import { toMediaJson } from '../media/json'
import { cleanTextFields, genreKey } from './fields'
import { forgetTitleLists } from './list-cache'
import type { Title, TitleDetailJson, TitleInput, TitlePatch } from './model'
import { deleteSearchRow, foldText, insertSearchRow, replaceSearchRow } from './search'
import { loadSeasonTree } from './tree'
import { removeFilesOfMedia } from './media-files'
import { type TitleRow, newestMediaBy, toTitleJson } from './json'

// Deleting rows also deletes video files, so those services need to know where they are.
export type CatalogueStore = Store

export async function findTitleRow(db: Db, id: number): Promise<TitleRow> {
  const row = await db.query.titles.findFirst({ where: eq(titles.id, id) })
  if (!row) throw notFound('title_not_found', `There is no title ${id}`)
  return row
}

// The ids of the episodes of a title, as a subquery.
function episodeIdsOfTitle(db: Db, titleId: number) {
  return db
    .select({ id: episodes.id })
    .from(episodes)
    .innerJoin(seasons, eq(seasons.id, episodes.seasonId))
    .where(eq(seasons.titleId, titleId))
}

// Every video of a title: the movie's own and those of all its episodes.
function titleMediaCondition(db: Db, titleId: number): SQL {
  return or(eq(media.titleId, titleId), inArray(media.episodeId, episodeIdsOfTitle(db, titleId))) as SQL
}

// Per-title facts for the title document, computed only for the rows asked about.
// (Written as SQL text: drizzle leaves columns unqualified in single-table selects,
// which would make `id` ambiguous inside these correlated subqueries.)
function titleExtrasColumns(viewerId: ReturnType<typeof sql.placeholder>) {
  // No viewer (NULL) matches no rating.
  const myRating = sql<number | null>`(SELECT score FROM ratings WHERE ratings.user_id = ${viewerId} AND ratings.title_id = titles.id)`
  // Newest playable video of the movie itself or of any of its episodes.
  const posterMediaId = sql<number | null>`NULLIF(MAX(
    COALESCE((SELECT MAX(m.id) FROM media m WHERE m.title_id = titles.id AND m.is_playable), 0),
    COALESCE((SELECT MAX(m.id) FROM seasons s JOIN episodes e ON e.season_id = s.id JOIN media m ON m.episode_id = e.id
              WHERE s.title_id = titles.id AND m.is_playable), 0)), 0)`
  return { myRating, posterMediaId }
}

// Title documents are read on every list page, so their query is built once per database
// and always has the same text: the ids go in as one JSON array (json_each), whatever
// their number, and the statement underneath is prepared once (src/db/statement-cache.ts).
const titlesQueries = new WeakMap<Db, ReturnType<typeof buildTitlesQuery>>()
const isPreparedOnce = speedTrickOn('prepared-titles')

function buildTitlesQuery(db: Db) {
  return db
    .select({ row: titles, ...titleExtrasColumns(sql.placeholder('viewerId')) })
    .from(titles)
    .where(sql`${titles.id} IN (SELECT value FROM json_each(${sql.placeholder('ids')}))`)
    .prepare()
}

export async function titlesWithExtras(db: Db, ids: number[], viewerId: number | null): Promise<Title[]> {
  if (ids.length === 0) return []
  let query = titlesQueries.get(db)
  if (!query) {
    query = buildTitlesQuery(db)
    if (isPreparedOnce) titlesQueries.set(db, query)
  }
  const rows = await query.all({ ids: JSON.stringify(ids), viewerId })
  const publications = await publicationsOf(
    db,
    rows.flatMap(({ posterMediaId }) => posterMediaId ?? []),
  )
  const byId = new Map(
    rows.map(({ row, ...extras }) => [
      row.id,
      toTitleJson(row, { ...extras, posterPublications: publications.get(extras.posterMediaId ?? 0) ?? null }),
    ]),
  )
  return ids.flatMap(id => byId.get(id) ?? [])
}

// How many times each poster's video was published (its poster's URI tag, hls/layout.ts),
// looked up by id afterwards: as a column of the title query it would repeat the poster
// choice's subqueries for every row, doubling that query's time.
async function publicationsOf(db: Db, mediaIds: number[]): Promise<Map<number, number>> {
  if (mediaIds.length === 0) return new Map()
  const rows = await db
    .select({ id: media.id, publications: media.publications })
    .from(media)
    .where(sql`${media.id} IN (SELECT value FROM json_each(${JSON.stringify(mediaIds)}))`)
  return new Map(rows.map(row => [row.id, row.publications]))
}

// The summary document of one title (what create and PATCH answer).
export async function loadTitle(db: Db, id: number, viewerId: number | null): Promise<Title> {
  const [title] = await titlesWithExtras(db, [id], viewerId)
  if (!title) throw notFound('title_not_found', `There is no title ${id}`)
  return title
}

export async function getTitle(db: Db, id: number, viewerId: number | null): Promise<TitleDetailJson> {
  const title = await loadTitle(db, id, viewerId)
  const tree = await loadSeasonTree(db, { seasons: eq(seasons.titleId, id), media: titleMediaCondition(db, id) })
  const movieMedia = title.kind === 'movie' ? newestMediaBy(tree.media, row => row.titleId).get(id) : undefined
  return { ...title, seasons: tree.seasons, media: movieMedia ? toMediaJson(movieMedia) : null }
}

function titleRowValues(fields: Omit<TitleRow, 'id' | 'ownerId' | 'nameKey' | 'ratingSum' | 'ratingCount' | 'createdAt' | 'updatedAt'>) {
  return { ...fields, nameKey: foldText(fields.name) }
}

function genreRows(titleId: number | SQL, genres: string[]) {
  return genres.map(genre => ({ titleId, genreKey: genreKey(genre) }))
}

export async function createTitle(db: Db, owner: User, input: TitleInput): Promise<Title> {
  const fields = cleanTextFields(input)
  const values = titleRowValues({
    kind: fields.kind,
    name: fields.name,
    originalName: fields.originalName ?? null,
    year: fields.year ?? null,
    description: fields.description ?? null,
    genres: fields.genres ?? [],
  })
  // The new id is not known before the batch runs; inside it, this batch holds the
  // write lock from its first statement on and ids only grow, so max(id) is ours.
  const newId = sql`(SELECT max(id) FROM titles)`
  const genres = genreRows(newId, values.genres)
  const [[row]] = await db.batch([
    db
      .insert(titles)
      .values({ ...values, ownerId: owner.id })
      .returning({ id: titles.id }),
    db.run(insertSearchRow(newId, values)),
    ...(genres.length > 0 ? [db.insert(titleGenres).values(genres)] : []),
  ])
  forgetTitleLists(db, 'titles')
  return loadTitle(db, row.id, owner.id)
}

// A series keeps its seasons and a movie its video: changing the kind would orphan them.
async function assertKindChangeAllowed(db: Db, row: TitleRow, kind: TitleRow['kind']) {
  if (kind === row.kind) return
  if (kind === 'movie') {
    const season = await db.query.seasons.findFirst({ where: eq(seasons.titleId, row.id), columns: { id: true } })
    if (season) throw conflict('title_has_seasons', 'Field "kind": delete the seasons before turning a series into a movie')
  } else {
    const video = await db.query.media.findFirst({ where: eq(media.titleId, row.id), columns: { id: true } })
    if (video) throw conflict('title_has_media', 'Field "kind": delete the video before turning a movie into a series')
  }
}

export async function updateTitle(db: Db, actor: User, id: number, patch: TitlePatch): Promise<Title> {
  const row = await findTitleRow(db, id)
  assertCanModify(actor, row.ownerId, 'this title')
  const changes = cleanTextFields(patch)
  await assertKindChangeAllowed(db, row, changes.kind ?? row.kind)
  const next = titleRowValues({ ...row, ...changes } as TitleRow)
  const genres = genreRows(id, next.genres)
  await db.batch([
    db
      .update(titles)
      .set({ ...changes, nameKey: next.nameKey, updatedAt: new Date().toISOString() })
      .where(eq(titles.id, id)),
    ...replaceSearchRow(id, next).map(statement => db.run(statement)),
    db.delete(titleGenres).where(eq(titleGenres.titleId, id)),
    ...(genres.length > 0 ? [db.insert(titleGenres).values(genres)] : []),
  ])
  forgetTitleLists(db, 'titles')
  return loadTitle(db, id, actor.id)
}

// Rows go in one batch (seasons, episodes, ratings, reviews, media and jobs follow by
// FK cascade); the video folders of exactly the media rows deleted go afterwards, with
// the partial uploads of those still uploading (not left to the hourly sweep).
export async function deleteTitle(store: CatalogueStore, actor: User, id: number): Promise<void> {
  const { db } = store
  const row = await findTitleRow(db, id)
  assertCanModify(actor, row.ownerId, 'this title')
  const [removed] = await db.batch([
    db.delete(media).where(titleMediaCondition(db, id)).returning({ id: media.id }),
    db.run(deleteSearchRow(id)),
    db.delete(titles).where(eq(titles.id, id)),
  ])
  forgetTitleLists(db, 'titles')
  await removeFilesOfMedia(store, removed)
}
