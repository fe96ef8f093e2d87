// catalogue/: titles, seasons, episodes, genres and search, with their /api/v1 routes (this file).
import { Elysia } from 'elysia'
import { authPlugin } from '../auth/plugin'
import type { AppDeps } from '../deps'
import type { ErrorCode } from '../http/errors'
import { IdParams } from '../http/model'
import { errorResponses, noContent } from '../http/openapi'
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
const deletion = (summary: string, ...codes: ErrorCode[]) =>
  noContent('Catalogue', summary, 'Deleted', 'invalid_input', 'unauthorized', 'forbidden', ...codes)
// What every change of a signed-in owner may meet: a bad id or body, no account, not the owner.
const changeCodes = ['invalid_input', 'unauthorized', 'forbidden'] as const

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
      params: IdParams,
      response: { 200: TitleDetailEnvelope, ...errorResponses('invalid_input', 'title_not_found') },
      ...detail('A title with its seasons and episodes (series) or its video (movie)'),
    })
    .patch('/titles/:id', async ({ user, params, body }) => ({ title: await updateTitle(db, user, params.id, body) }), {
      signedIn: true,
      params: IdParams,
      body: TitleUpdate,
      response: { 200: TitleEnvelope, ...errorResponses(...changeCodes, 'title_not_found', 'title_has_seasons', 'title_has_media') },
      ...detail('Change a title (owner or admin)'),
    })
    .delete('/titles/:id', ({ user, params }) => deleteTitle(store, user, params.id), {
      signedIn: true,
      params: IdParams,
      ...deletion('Delete a title, all in it, and its video files (owner or admin)', 'title_not_found'),
    })
    .post(
      '/titles/:id/seasons',
      async ({ user, params, body, status }) => status(201, { season: await createSeason(db, user, params.id, body) }),
      {
        signedIn: true,
        params: IdParams,
        body: SeasonCreate,
        response: { 201: SeasonEnvelope, ...errorResponses(...changeCodes, 'title_not_found', 'title_is_movie', 'season_exists') },
        ...detail('Add a season to a series (owner or admin)'),
      },
    )
    .get('/seasons/:id', async ({ params }) => ({ season: await getSeason(db, params.id) }), {
      params: IdParams,
      response: { 200: SeasonDetailEnvelope, ...errorResponses('invalid_input', 'season_not_found') },
      ...detail('A season with its episodes'),
    })
    .patch('/seasons/:id', async ({ user, params, body }) => ({ season: await updateSeason(db, user, params.id, body) }), {
      signedIn: true,
      params: IdParams,
      body: SeasonUpdate,
      response: { 200: SeasonEnvelope, ...errorResponses(...changeCodes, 'season_not_found', 'season_exists') },
      ...detail('Change a season (owner or admin)'),
    })
    .delete('/seasons/:id', ({ user, params }) => deleteSeason(store, user, params.id), {
      signedIn: true,
      params: IdParams,
      ...deletion('Delete a season, its episodes and their video files (owner or admin)', 'season_not_found'),
    })
    .post(
      '/seasons/:id/episodes',
      async ({ user, params, body, status }) => status(201, { episode: await createEpisode(db, user, params.id, body) }),
      {
        signedIn: true,
        params: IdParams,
        body: EpisodeCreate,
        response: { 201: EpisodeEnvelope, ...errorResponses(...changeCodes, 'season_not_found', 'episode_exists') },
        ...detail('Add an episode to a season (owner or admin)'),
      },
    )
    .get('/episodes/:id', async ({ params }) => ({ episode: await getEpisode(db, params.id) }), {
      params: IdParams,
      response: { 200: EpisodeEnvelope, ...errorResponses('invalid_input', 'episode_not_found') },
      ...detail('An episode with its video'),
    })
    .patch('/episodes/:id', async ({ user, params, body }) => ({ episode: await updateEpisode(db, user, params.id, body) }), {
      signedIn: true,
      params: IdParams,
      body: EpisodeUpdate,
      response: { 200: EpisodeEnvelope, ...errorResponses(...changeCodes, 'episode_not_found', 'episode_exists') },
      ...detail('Change an episode (owner or admin)'),
    })
    .delete('/episodes/:id', ({ user, params }) => deleteEpisode(store, user, params.id), {
      signedIn: true,
      params: IdParams,
      ...deletion('Delete an episode and its video files (owner or admin)', 'episode_not_found'),
    })
}
