// Browsing=members for the media file route, which runs in Bun itself, outside Elysia (and
// so outside the auth plugin): a request for a playlist, segment, poster or subtitle file
// needs a valid session cookie or API token, checked on every request (one indexed look-up:
// signing out or revoking a token stops playback at the next segment). Unknown credentials
// count against the client like everywhere else.
import type { Server } from 'bun'
import type { AppDeps } from '../deps'
import { clientAddress } from '../http/client-address'
import { AppError, errorResponse } from '../http/errors'
import type { Gate } from '../streaming/serve'
import { useApiToken } from './api-tokens'
import { membersOnly, needsMember } from './browsing'
import { bearerToken, cookieNames } from './plugin'
import { validateSessionToken } from './sessions'

function errorAnswerOf(error: AppError): Response {
  return errorResponse(error.code, error.message, { 'cache-control': 'no-store', ...error.headers })
}

// null: let the request through; else the refusal to send.
export function mediaGate(deps: AppDeps): Gate {
  const sessionCookie = cookieNames(deps.config.publicUrl).session

  async function isValid(request: Request, server: Server<unknown>): Promise<boolean> {
    const bearer = bearerToken(request)
    const token = bearer ?? new Bun.CookieMap(request.headers.get('cookie') ?? '').get(sessionCookie)
    if (!token) return false
    const address = clientAddress(server, request, deps.config)
    deps.throttle.refuseFailingClient(address)
    const found = bearer ? await useApiToken(deps.db, bearer) : await validateSessionToken(deps.db, token)
    if (!found) {
      deps.throttle.recordFailedCredential(address, token)
      return false
    }
    return true
  }

  return async (request, server) => {
    // A CORS preflight never carries credentials, and says nothing about a media.
    if (request.method === 'OPTIONS') return null
    const { pathname } = new URL(request.url)
    try {
      if (!needsMember({ mode: deps.config.browsing, pathname, isSignedIn: await isValid(request, server) })) return null
      return errorAnswerOf(membersOnly())
    } catch (error) {
      if (error instanceof AppError) return errorAnswerOf(error)
      throw error
    }
  }
}
