// runners/: transcoding runners on other machines, speaking only HTTP to this server
// (PeerTube's runner model): the routes (this file), the protocol's bodies (protocol.ts),
// claims, sessions, the remote engine, uploads (files.ts), tokens (tokens.ts).
//
// /api/v1/runners/...: a runner registers with an admin's registration token, then claims
// jobs with its runner token; each claim gives a job token that opens only that job's
// routes (source, commands, heartbeat, files, exits). None of these tokens is an
// account's: the user auth plugin leaves them to these routes.
import { stat } from 'node:fs/promises'
import { Elysia, t } from 'elysia'
import type { AppDeps } from '../deps'
import { clientAddress } from '../http/client-address'
import { AppError, unauthorized } from '../http/errors'
import { errorAnswers, errorResponses } from '../http/openapi'
import { isRangeStillValid, parseRange } from '../streaming/http-range'
import { isRunnerRevoked, type RunnerOrigin, sourceEtag } from './claims'
import { receiveOutput } from './files'
import {
  ClaimAnswer,
  CommandAnswer,
  ExitBody,
  FileStored,
  HeartbeatAnswer,
  HeartbeatBody,
  RegisterBody,
  Registered,
  runnerApiPrefix,
  tokenPrefixes,
} from './protocol'
import { longPollMs } from './rules'
import type { RunnerSession } from './sessions'
import { authenticateRunner, registerRunner } from './tokens'

// The OpenAPI security of runner routes and job routes (schemes in http/openapi.ts).
const runnerSecurity = [{ runnerToken: [] }]
const jobSecurity = [{ jobToken: [] }]

const detail = (summary: string, security: Record<string, string[]>[], description?: string) => ({
  detail: { summary, description, tags: ['Runners'], security },
})

// A raw file, as a body or an answer.
const binary = { 'application/octet-stream': { schema: { type: 'string' as const, format: 'binary' } } }

// A JSON answer of an operation documented by `detail.responses` (one that may also answer 204).
const jsonAnswer = (description: string, schema: object) => ({ description, content: { 'application/json': { schema } } })

// Elysia's integer: a query string is converted before it is checked.
const CommandsQuery = t.Object({
  after: t.Optional(t.Integer({ minimum: 0, default: 0, title: 'after', description: 'The last command number seen' })),
})
const JobParams = t.Object({ jobId: t.Integer({ minimum: 1, title: 'jobId' }) })
const ExitParams = t.Object({ jobId: t.Integer({ minimum: 1, title: 'jobId' }), n: t.Integer({ minimum: 1, title: 'n' }) })

// What every job route may be refused with before it runs.
const jobRefusals = ['unauthorized', 'job_token_mismatch', 'job_gone'] as const

const gone = () => new AppError('job_gone', 'This job is no longer yours: forget it and claim again')

function bearerOf(request: Request, prefix: string): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')
  return match?.[1].startsWith(prefix) ? match[1] : null
}

// The source file, whole or from a Range (a runner resumes an interrupted download).
async function sourceAnswer(request: Request, path: string): Promise<Response> {
  const stats = await stat(path).catch(() => null)
  if (!stats) throw gone()
  const validators = { etag: sourceEtag(stats.size, stats.mtimeMs), lastModifiedMs: stats.mtimeMs }
  const headers = new Headers({ 'content-type': 'application/octet-stream', etag: validators.etag, 'accept-ranges': 'bytes' })
  const range = isRangeStillValid(request.headers, validators)
    ? parseRange(request.headers.get('range'), stats.size)
    : { kind: 'full' as const }
  if (range.kind === 'unsatisfiable') {
    headers.set('content-range', `bytes */${stats.size}`)
    return new Response(null, { status: 416, headers })
  }
  if (range.kind === 'full') return new Response(Bun.file(path), { headers })
  headers.set('content-range', `bytes ${range.start}-${range.end}/${stats.size}`)
  return new Response(Bun.file(path).slice(range.start, range.end + 1), { status: 206, headers })
}

// The path after `/files/`, decoded part by part (files.ts checks every part).
function filePathOf(request: Request): string {
  const { pathname } = new URL(request.url)
  const raw = pathname.slice(pathname.indexOf('/files/') + '/files/'.length)
  try {
    return raw
      .split('/')
      .map(part => decodeURIComponent(part))
      .join('/')
  } catch {
    return raw
  }
}

function jobTokenOf(request: Request): string {
  const token = bearerOf(request, tokenPrefixes.job)
  if (!token) throw unauthorized('Send the job token of this job: Authorization: Bearer mprj_…')
  return token
}

export function runnerRoutes(deps: AppDeps, origin: RunnerOrigin) {
  const { db } = deps
  const { sessions } = origin

  const runnerOf = async (request: Request, address: string) => {
    const token = bearerOf(request, tokenPrefixes.runner)
    const runner = token && (await authenticateRunner(db, token, address))
    if (!runner) throw new AppError('runner_token_invalid', 'The runner token is unknown or was revoked')
    return runner
  }

  // The session a job token opens for `jobId`, its runner not revoked.
  const jobSession = async (request: Request, jobId: number): Promise<RunnerSession> => {
    const checked = sessions.check(jobTokenOf(request), jobId)
    if ('refusal' in checked) {
      if (checked.refusal === 'other_job') throw new AppError('job_token_mismatch', 'This job token is for another job')
      throw gone()
    }
    if (await isRunnerRevoked(db, checked.session.runnerId)) {
      checked.session.abort('lost')
      throw gone()
    }
    return checked.session
  }

  // A heartbeat: the runner is heard, the job's lease renewed, unless the job is no longer its.
  const keepJob = async (session: RunnerSession) => {
    session.heard()
    if ((await session.renewLease(db)) !== 'held') throw gone()
  }

  return new Elysia({ prefix: runnerApiPrefix })
    .post(
      '/register',
      async ({ body, set }) => {
        const runner = await registerRunner(db, body)
        if (!runner) throw new AppError('registration_token_invalid', 'The registration token is unknown or was deleted')
        set.status = 201
        return { runnerId: runner.id, runnerToken: runner.token }
      },
      {
        body: RegisterBody,
        response: { 201: Registered, ...errorResponses('invalid_input', 'invalid_json', 'registration_token_invalid') },
        ...detail('Register a runner: trade a registration token for a runner token', [{}]),
      },
    )
    .post(
      '/claim',
      async ({ request, server, set }) => {
        const runner = await runnerOf(request, clientAddress(server, request, deps.config))
        const answer = await origin.claim(runner.id, request.signal)
        if (answer) return answer
        set.status = 204
        return undefined
      },
      {
        detail: {
          ...detail(
            'Claim the next transcoding job',
            runnerSecurity,
            `Waits up to ${longPollMs / 1000} s for a job of the shared queue; answers once the origin has probed and planned it.`,
          ).detail,
          responses: {
            200: jsonAnswer('The job, with its job token', ClaimAnswer),
            204: { description: 'No job now: claim again' },
            ...errorAnswers('runner_token_invalid'),
          },
        },
      },
    )
    .get(
      '/jobs/:jobId/source',
      async ({ request, params }) => sourceAnswer(request, (await jobSession(request, params.jobId)).sourcePath),
      {
        params: JobParams,
        detail: {
          ...detail('Download the source (Range and If-Range honoured)', jobSecurity).detail,
          responses: {
            200: { description: 'The whole source', content: binary },
            206: { description: 'The part asked for', content: binary },
            416: { description: 'The range starts past the end' },
            ...errorAnswers('invalid_input', ...jobRefusals),
          },
        },
      },
    )
    .get(
      '/jobs/:jobId/commands',
      async ({ request, params, query, set }) => {
        const session = sessions.find(jobTokenOf(request), params.jobId)
        if (!session) throw gone()
        const answer = await session.waitForCommand(query.after ?? 0, longPollMs, request.signal)
        if (answer) return answer
        set.status = 204
        return undefined
      },
      {
        params: JobParams,
        query: CommandsQuery,
        detail: {
          ...detail('The next ffmpeg command to run, or that the attempt is over', jobSecurity).detail,
          responses: {
            200: jsonAnswer('The next command, or `done`', CommandAnswer),
            204: { description: 'No new command yet: ask again' },
            ...errorAnswers('invalid_input', 'unauthorized', 'job_gone'),
          },
        },
      },
    )
    .post(
      '/jobs/:jobId/heartbeat',
      async ({ request, params, body }) => {
        const session = await jobSession(request, params.jobId)
        await keepJob(session)
        session.report(body.commands)
        return { cancelled: session.cancelledNumbers() }
      },
      {
        params: JobParams,
        body: HeartbeatBody,
        response: { 200: HeartbeatAnswer, ...errorResponses('invalid_input', 'invalid_json', ...jobRefusals) },
        ...detail('Report progress and keep the job (every heartbeatMs)', jobSecurity),
      },
    )
    .post(
      '/jobs/:jobId/commands/:n/exit',
      async ({ request, params, body, set }) => {
        const session = await jobSession(request, params.jobId)
        if (!session.exit(params.n, body)) throw new AppError('invalid_input', `There is no command ${params.n}`)
        set.status = 204
      },
      {
        params: ExitParams,
        body: ExitBody,
        detail: {
          ...detail('Report how a command ended, once every file it wrote is uploaded', jobSecurity).detail,
          responses: { 204: { description: 'Noted' }, ...errorAnswers('invalid_input', 'invalid_json', ...jobRefusals) },
        },
      },
    )
    .put(
      '/jobs/:jobId/files/*',
      async ({ request, params, set }) => {
        const session = await jobSession(request, Number(params.jobId))
        const upload = { path: filePathOf(request), body: request.body, contentLength: request.headers.get('content-length') }
        const { stored, isNew } = await receiveOutput(session, upload)
        set.status = isNew ? 201 : 200
        return stored
      },
      {
        parse: 'none',
        response: {
          200: FileStored,
          201: FileStored,
          ...errorResponses('invalid_input', 'invalid_output_name', 'output_conflict', 'payload_too_large', ...jobRefusals),
        },
        detail: {
          ...detail(
            'Upload a file ffmpeg wrote, under .work/<attempt>/ (raw body)',
            jobSecurity,
            'Written to a temporary file, fsynced, then renamed into place. The same bytes again: 200; other bytes for a received segment: 409; ' +
              "ffmpeg's working playlists may be replaced. 413 past the job's uploadLimitBytes.",
          ).detail,
          requestBody: { required: true, content: binary },
        },
      },
    )
}
