// watch/: "continue watching": positions (GET/PUT /api/v1/media/:id/position) and the
// titles stopped in the middle (GET /api/v1/me/continue-watching), and the player's
// remembered languages (GET/PUT /api/v1/me/player-preferences).
import { Elysia } from 'elysia'
import { authPlugin } from '../auth/plugin'
import type { AppDeps } from '../deps'
import { IdParams } from '../http/model'
import { errorResponses } from '../http/openapi'
import { continueWatching } from './continue'
import { ContinueWatchingAnswer, PlayerPreferences, PositionAnswer, PositionPut } from './model'
import { getPlayerPreferences, savePlayerPreferences } from './preferences'
import { getWatchPosition, saveWatchPosition } from './service'

const detail = (summary: string) => ({ detail: { summary, tags: ['Watching'] } })

export function watchRoutes(deps: AppDeps) {
  return new Elysia({ prefix: '/api/v1' })
    .use(authPlugin(deps))
    .get('/media/:id/position', ({ user, params }) => getWatchPosition(deps.db, user.id, params.id), {
      signedIn: true,
      params: IdParams,
      response: { 200: PositionAnswer, ...errorResponses('invalid_input', 'unauthorized', 'media_not_found') },
      ...detail('Where you stopped watching this video ("continue watching")'),
    })
    .put('/media/:id/position', ({ user, params, body }) => saveWatchPosition(deps.db, user.id, params.id, body.positionSec), {
      signedIn: true,
      params: IdParams,
      body: PositionPut,
      response: { 200: PositionAnswer, ...errorResponses('invalid_input', 'unauthorized', 'media_not_found') },
      ...detail('Remember where you stopped watching this video'),
    })
    .get('/me/continue-watching', async ({ user }) => ({ items: await continueWatching(deps.db, user.id) }), {
      signedIn: true,
      response: { 200: ContinueWatchingAnswer, ...errorResponses('unauthorized') },
      ...detail('Titles you stopped in the middle of, the most recent first (for a series, the episode watched last)'),
    })
    .get('/me/player-preferences', ({ user }) => getPlayerPreferences(deps.db, user.id), {
      signedIn: true,
      response: { 200: PlayerPreferences, ...errorResponses('unauthorized') },
      ...detail('The audio and subtitle languages the player starts every film with'),
    })
    .put('/me/player-preferences', ({ user, body }) => savePlayerPreferences(deps.db, user.id, body), {
      signedIn: true,
      body: PlayerPreferences,
      response: { 200: PlayerPreferences, ...errorResponses('invalid_input', 'unauthorized') },
      ...detail("Remember the audio and subtitle languages for every film (the player saves the viewer's choices here)"),
    })
}
