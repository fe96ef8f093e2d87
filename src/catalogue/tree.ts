// Seasons with their episodes and each episode's current video, for the title and
// season documents: two queries however many seasons and episodes there are.
import { type SQL, asc, eq } from 'drizzle-orm'
import type { Db } from '../db/client'
import { episodes, media, seasons } from '../db/schema'
import type { SeasonDetailJson } from './model'
import { type MediaRow, newestMediaBy, toEpisodeJson, toSeasonJson } from './json'

export type SeasonTree = { seasons: SeasonDetailJson[]; media: MediaRow[] }

// `where.seasons` picks the seasons; `where.media` the videos that may belong to them
// (it may take in more, such as a movie's own video, which the caller then uses).
export async function loadSeasonTree(db: Db, where: { seasons: SQL; media: SQL }): Promise<SeasonTree> {
  const rows = await db
    .select({ season: seasons, episode: episodes })
    .from(seasons)
    .leftJoin(episodes, eq(episodes.seasonId, seasons.id))
    .where(where.seasons)
    .orderBy(asc(seasons.number), asc(episodes.number))
  const videos = await db.select().from(media).where(where.media)
  const videoOfEpisode = newestMediaBy(videos, video => video.episodeId)
  const bySeason = new Map<number, SeasonDetailJson>()
  for (const { season, episode } of rows) {
    const detail = bySeason.get(season.id) ?? { ...toSeasonJson(season), episodes: [] }
    bySeason.set(season.id, detail)
    if (episode) detail.episodes.push(toEpisodeJson(episode, season.titleId, videoOfEpisode.get(episode.id)))
  }
  return { seasons: [...bySeason.values()], media: videos }
}
