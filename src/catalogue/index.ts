// catalogue/: titles, seasons, episodes, genres and search, with their /api/v1 routes (this file).
import { Elysia } from 'elysia'
import { authPlugin } from '../auth/plugin'
import type { AppDeps } from '../deps'
import type { ErrorCode } from '../http/errors'
import { lookupById, ownerOrAdminChange, ownerOrAdminNoContent } from '../http/id-routes'
import { errorResponses } from '../http/openapi'
import {
  EpisodeCreate,
  EpisodeEnvelope,
  EpisodeUpdate,
  SeasonCreate,
  SeasonDetailEnvelope,
  SeasonEnvelope,
  SeasonUpdate,
  TitleCreate,
  TitleDetailEnvelope,
  TitleEnvelope,
  TitleList,
  TitleQuery,
  TitleUpdate,
} from './model'
import {
  createEpisode,
  createSeason,
  createTitle,
  deleteEpisode,
  deleteSeason,
  deleteTitle,
  getEpisode,
  getSeason,
  getTitle,
  listTitles,
  updateEpisode,
  updateSeason,
  updateTitle,
} from './service'

const detail = (summary: string) => ({ detail: { summary, tags: ['Catalogue'] } })
const deletion = (summary: string, notFoundCode: ErrorCode) => ownerOrAdminNoContent('Catalogue', summary, 'Deleted', notFoundCode)

export function catalogueRoutes(deps: AppDeps) {
  const { db } = deps
  const { store } = deps

  return new Elysia({ prefix: '/api/v1' })
    .use(authPlugin(deps))
    .get('/titles', ({ query, viewer }) => listTitles(db, query, viewer?.user.id ?? null), {
      query: TitleQuery,
      response: { 200: TitleList, ...errorResponses('invalid_input') },
      ...detail('Find titles: full-text search, filters, sorts, pages'),
    })
    .post('/titles', async ({ user, body, status }) => status(201, { title: await createTitle(db, user, body) }), {
      signedIn: true,
      body: TitleCreate,
      response: { 201: TitleEnvelope, ...errorResponses('invalid_input', 'unauthorized') },
      ...detail('Add a movie or a series'),
    })
    .get('/titles/:id', async ({ params, viewer }) => ({ title: await getTitle(db, params.id, viewer?.user.id ?? null) }), {
      ...lookupById({ 200: TitleDetailEnvelope }, 'title_not_found'),
      ...detail('A title with its seasons and episodes (series) or its video (movie)'),
    })
    .patch('/titles/:id', async ({ user, params, body }) => ({ title: await updateTitle(db, user, params.id, body) }), {
      ...ownerOrAdminChange({ 200: TitleEnvelope }, 'title_not_found', 'title_has_seasons', 'title_has_media'),
      body: TitleUpdate,
      ...detail('Change a title (owner or admin)'),
    })
    .delete('/titles/:id', ({ user, params }) => deleteTitle(store, user, params.id), {
      ...deletion('Delete a title, all in it, and its video files (owner or admin)', 'title_not_found'),
    })
    .post(
      '/titles/:id/seasons',
      async ({ user, params, body, status }) => status(201, { season: await createSeason(db, user, params.id, body) }),
      {
        ...ownerOrAdminChange({ 201: SeasonEnvelope }, 'title_not_found', 'title_is_movie', 'season_exists'),
        body: SeasonCreate,
        ...detail('Add a season to a series (owner or admin)'),
      },
    )
    .get('/seasons/:id', async ({ params }) => ({ season: await getSeason(db, params.id) }), {
      ...lookupById({ 200: SeasonDetailEnvelope }, 'season_not_found'),
      ...detail('A season with its episodes'),
    })
    .patch('/seasons/:id', async ({ user, params, body }) => ({ season: await updateSeason(db, user, params.id, body) }), {
      ...ownerOrAdminChange({ 200: SeasonEnvelope }, 'season_not_found', 'season_exists'),
      body: SeasonUpdate,
      ...detail('Change a season (owner or admin)'),
    })
    .delete('/seasons/:id', ({ user, params }) => deleteSeason(store, user, params.id), {
      ...deletion('Delete a season, its episodes and their video files (owner or admin)', 'season_not_found'),
    })
    .post(
      '/seasons/:id/episodes',
      async ({ user, params, body, status }) => status(201, { episode: await createEpisode(db, user, params.id, body) }),
      {
        ...ownerOrAdminChange({ 201: EpisodeEnvelope }, 'season_not_found', 'episode_exists'),
        body: EpisodeCreate,
        ...detail('Add an episode to a season (owner or admin)'),
      },
    )
    .get('/episodes/:id', async ({ params }) => ({ episode: await getEpisode(db, params.id) }), {
      ...lookupById({ 200: EpisodeEnvelope }, 'episode_not_found'),
      ...detail('An episode with its video'),
    })
    .patch('/episodes/:id', async ({ user, params, body }) => ({ episode: await updateEpisode(db, user, params.id, body) }), {
      ...ownerOrAdminChange({ 200: EpisodeEnvelope }, 'episode_not_found', 'episode_exists'),
      body: EpisodeUpdate,
      ...detail('Change an episode (owner or admin)'),
    })
    .delete('/episodes/:id', ({ user, params }) => deleteEpisode(store, user, params.id), {
      ...deletion('Delete an episode and its video files (owner or admin)', 'episode_not_found'),
    })
}
