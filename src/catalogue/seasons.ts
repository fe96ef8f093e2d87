// Seasons of a series. Rights come from the title: its owner (or an admin) manages them.
import { eq, inArray } from 'drizzle-orm'
import type { User } from '../auth/users'
import type { Db } from '../db/client'
import { isUniqueViolation } from '../db/constraint-errors'
import { episodes, media, seasons, titles } from '../db/schema'
import { conflict, notFound } from '../http/errors'
import { assertCanModify } from '../http/rights'
import { optionalName } from './fields'
import type { Season, SeasonDetailJson, SeasonInput, SeasonPatch } from './model'
import { type CatalogueStore, findTitleRow } from './titles'
import { loadSeasonTree } from './tree'
import { type SeasonRow, toSeasonJson } from './json'
import { removeFilesOfMedia } from './media-files'

export async function findSeasonRow(db: Db, id: number): Promise<{ season: SeasonRow; ownerId: number | null }> {
  const [found] = await db
    .select({ season: seasons, ownerId: titles.ownerId })
    .from(seasons)
    .innerJoin(titles, eq(titles.id, seasons.titleId))
    .where(eq(seasons.id, id))
  if (!found) throw notFound('season_not_found', `There is no season ${id}`)
  return found
}

const seasonTaken = (number: number | undefined) => conflict('season_exists', `Field "number": this title already has a season ${number}`)

export async function createSeason(db: Db, actor: User, titleId: number, input: SeasonInput): Promise<Season> {
  const title = await findTitleRow(db, titleId)
  assertCanModify(actor, title.ownerId, 'this title')
  if (title.kind !== 'series') throw conflict('title_is_movie', 'Only a series has seasons; this title is a movie')
  const [row] = await db
    .insert(seasons)
    .values({ titleId, number: input.number, name: optionalName(input.name, 'name') ?? null })
    .onConflictDoNothing()
    .returning()
  if (!row) throw seasonTaken(input.number)
  return toSeasonJson(row)
}

export async function getSeason(db: Db, id: number): Promise<SeasonDetailJson> {
  const episodeIds = db.select({ id: episodes.id }).from(episodes).where(eq(episodes.seasonId, id))
  const tree = await loadSeasonTree(db, { seasons: eq(seasons.id, id), media: inArray(media.episodeId, episodeIds) })
  if (!tree.seasons[0]) throw notFound('season_not_found', `There is no season ${id}`)
  return tree.seasons[0]
}

export async function updateSeason(db: Db, actor: User, id: number, patch: SeasonPatch): Promise<Season> {
  const { ownerId } = await findSeasonRow(db, id)
  assertCanModify(actor, ownerId, 'this title')
  const changes = { ...patch, ...(patch.name !== undefined && { name: optionalName(patch.name, 'name') }) }
  try {
    const [row] = await db
      .update(seasons)
      .set({ ...changes, updatedAt: new Date().toISOString() })
      .where(eq(seasons.id, id))
      .returning()
    if (!row) throw notFound('season_not_found', `There is no season ${id}`)
    return toSeasonJson(row)
  } catch (error) {
    // Two writers may race for one number; the unique index decides and the loser gets a 409.
    throw isUniqueViolation(error) ? seasonTaken(patch.number) : error
  }
}

// Episodes (and their media rows) follow by FK cascade; their video folders go afterwards.
export async function deleteSeason(store: CatalogueStore, actor: User, id: number): Promise<void> {
  const { db } = store
  const { ownerId } = await findSeasonRow(db, id)
  assertCanModify(actor, ownerId, 'this title')
  const episodeIds = db.select({ id: episodes.id }).from(episodes).where(eq(episodes.seasonId, id))
  const [removed] = await db.batch([
    db.delete(media).where(inArray(media.episodeId, episodeIds)).returning({ id: media.id }),
    db.delete(seasons).where(eq(seasons.id, id)),
  ])
  await removeFilesOfMedia(store, removed)
}
