// The admin side of remote runners (issue 14): registration tokens (made, listed, deleted;
// the token is shown once, with the command that registers a runner host with it) and the
// runners themselves (listed with when and from where each was last seen and the job it
// runs now; revoked). The runners' own routes are in runners/.
import { Elysia } from 'elysia'
import type { AppDeps } from '../deps'
import { notFound } from '../http/errors'
import {
  createRegistrationToken,
  deleteRegistrationToken,
  listRegistrationTokens,
  listRunners,
  revokeRunner,
  runnerExists,
} from '../runners/tokens'
import { adminByIdNoContent, adminDetail, adminOnlyPlugin, adminRoute } from './admin-only'
import { RegistrationTokenCreate, RegistrationTokenCreated, RegistrationTokenList, RunnerList } from './model'

// The address runner hosts reach this server at: PublicUrl, else the one the admin used.
export function serverUrlOf(publicUrl: string | null, requestUrl: string): string {
  return publicUrl ?? new URL(requestUrl).origin
}

export function runnerCommand(serverUrl: string, token: string): string {
  return `bun run runner --server ${serverUrl} --token ${token}`
}

// Made with the token and the command that uses it: the answer is the only place they are.
export async function makeRegistrationToken(deps: AppDeps, options: { label: string; createdBy: number; requestUrl: string }) {
  const created = await createRegistrationToken(deps.db, { label: options.label.trim(), createdBy: options.createdBy })
  return { ...created, command: runnerCommand(serverUrlOf(deps.config.publicUrl, options.requestUrl), created.token) }
}

export async function removeRegistrationToken(deps: AppDeps, id: number): Promise<void> {
  if (!(await deleteRegistrationToken(deps.db, id))) throw notFound('registration_token_not_found', 'No such registration token')
}

// Revoking a revoked runner again is no error; an unknown one is.
export async function revokeRunnerById(deps: AppDeps, id: number): Promise<void> {
  if (!(await revokeRunner(deps.db, id)) && !(await runnerExists(deps.db, id))) throw notFound('runner_not_found', 'No such runner')
}

export function adminRunnerRoutes(deps: AppDeps) {
  return new Elysia({ prefix: '/api/v1/admin' })
    .use(adminOnlyPlugin(deps))
    .post(
      '/runner-registration-tokens',
      async ({ admin, body, request, set }) => {
        set.status = 201
        return makeRegistrationToken(deps, { label: body.label, createdBy: admin.id, requestUrl: request.url })
      },
      {
        ...adminRoute({ 201: RegistrationTokenCreated }, 'invalid_input'),
        body: RegistrationTokenCreate,
        ...adminDetail('A runner registration token (shown once) and the command a runner host registers with'),
      },
    )
    .get('/runner-registration-tokens', async () => ({ items: await listRegistrationTokens(deps.db) }), {
      ...adminRoute({ 200: RegistrationTokenList }),
      ...adminDetail('Runner registration tokens, newest first'),
    })
    .delete('/runner-registration-tokens/:id', ({ params }) => removeRegistrationToken(deps, params.id), {
      ...adminByIdNoContent(
        'Delete a registration token: no new runner registers with it; the runners it registered keep working',
        'Deleted',
        'registration_token_not_found',
      ),
    })
    .get('/runners', async () => ({ items: await listRunners(deps.db) }), {
      ...adminRoute({ 200: RunnerList }),
      ...adminDetail('Runners, newest first: when and from where each was last seen, whether revoked, the job it runs now'),
    })
    .post('/runners/:id/revoke', ({ params }) => revokeRunnerById(deps, params.id), {
      ...adminByIdNoContent(
        'Revoke a runner: its token is refused from now on, and the job it ran goes back to the queue when its lease runs out',
        'Revoked (also when it already was)',
        'runner_not_found',
      ),
    })
}
