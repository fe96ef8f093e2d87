// Episodes of a season. Rights come from the title: its owner (or an admin) manages them.
import { asc, desc, eq } from 'drizzle-orm'
import type { User } from '../auth/users'
import type { Db } from '../db/client'
import { isUniqueViolation } from '../db/constraint-errors'
import { episodes, media, seasons, titles } from '../db/schema'
import { conflict, notFound } from '../http/errors'
import { assertCanModify } from '../http/rights'
import { cleanTextFields } from './fields'
import type { Episode, EpisodeInput, EpisodePatch } from './model'
import { findSeasonRow } from './seasons'
import type { CatalogueStore } from './titles'
import { type EpisodeRow, toEpisodeJson } from './json'
import { removeFilesOfMedia } from './media-files'

type EpisodeFound = { episode: EpisodeRow; titleId: number; ownerId: number | null }

export async function findEpisodeRow(db: Db, id: number): Promise<EpisodeFound> {
  const [found] = await db
    .select({ episode: episodes, titleId: seasons.titleId, ownerId: titles.ownerId })
    .from(episodes)
    .innerJoin(seasons, eq(seasons.id, episodes.seasonId))
    .innerJoin(titles, eq(titles.id, seasons.titleId))
    .where(eq(episodes.id, id))
  if (!found) throw notFound('episode_not_found', `There is no episode ${id}`)
  return found
}

const episodeTaken = (number: number | undefined) =>
  conflict('episode_exists', `Field "number": this season already has an episode ${number}`)

export async function createEpisode(db: Db, actor: User, seasonId: number, input: EpisodeInput): Promise<Episode> {
  const { season, ownerId } = await findSeasonRow(db, seasonId)
  assertCanModify(actor, ownerId, 'this title')
  const fields = cleanTextFields(input)
  const [row] = await db
    .insert(episodes)
    .values({ seasonId, number: fields.number, name: fields.name, description: fields.description ?? null })
    .onConflictDoNothing()
    .returning()
  if (!row) throw episodeTaken(input.number)
  return toEpisodeJson(row, season.titleId, undefined)
}

export async function getEpisode(db: Db, id: number): Promise<Episode> {
  const { episode, titleId } = await findEpisodeRow(db, id)
  const [video] = await db.select().from(media).where(eq(media.episodeId, id)).orderBy(desc(media.id)).limit(1)
  return toEpisodeJson(episode, titleId, video)
}

export async function updateEpisode(db: Db, actor: User, id: number, patch: EpisodePatch): Promise<Episode> {
  const { ownerId } = await findEpisodeRow(db, id)
  assertCanModify(actor, ownerId, 'this title')
  try {
    await db
      .update(episodes)
      .set({ ...cleanTextFields(patch), updatedAt: new Date().toISOString() })
      .where(eq(episodes.id, id))
  } catch (error) {
    throw isUniqueViolation(error) ? episodeTaken(patch.number) : error
  }
  return getEpisode(db, id)
}

// The episode's media rows follow by FK cascade; their video folders go afterwards.
export async function deleteEpisode(store: CatalogueStore, actor: User, id: number): Promise<void> {
  const { db } = store
  const { ownerId } = await findEpisodeRow(db, id)
  assertCanModify(actor, ownerId, 'this title')
  const [removed] = await db.batch([
    db.delete(media).where(eq(media.episodeId, id)).returning({ id: media.id }),
    db.delete(episodes).where(eq(episodes.id, id)),
  ])
  await removeFilesOfMedia(store, removed)
}

export type EpisodeLink = { id: number; seasonNumber: number; number: number; name: string }
export type EpisodeNeighbours = { previous: EpisodeLink | null; next: EpisodeLink | null }

// The episodes before and after this one in the series, in viewing order (season, then
// number), across season boundaries; specials (season 0) come first, as they are numbered.
export async function findEpisodeNeighbours(db: Db, titleId: number, episodeId: number): Promise<EpisodeNeighbours> {
  const order = await db
    .select({ id: episodes.id, seasonNumber: seasons.number, number: episodes.number, name: episodes.name })
    .from(episodes)
    .innerJoin(seasons, eq(seasons.id, episodes.seasonId))
    .where(eq(seasons.titleId, titleId))
    .orderBy(asc(seasons.number), asc(episodes.number))
  const at = order.findIndex(episode => episode.id === episodeId)
  return { previous: order[at - 1] ?? null, next: at === -1 ? null : (order[at + 1] ?? null) }
}
