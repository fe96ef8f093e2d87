// runners/: transcoding runners on other machines, speaking only HTTP to this server
// (PeerTube's runner model): registration and runner tokens (this file).
//
// An admin makes a registration token; a runner host trades it once for its own runner
// token (`bun run runner --server … --token …`). Only SHA-256 hashes of both are stored,
// as for sessions; a revoked runner's token is refused at once.
import { and, desc, eq, isNull, like } from 'drizzle-orm'
import { generateSecret, hashSecret } from '../auth/secrets'
import type { Db } from '../db/client'
import { jobs, runnerRegistrationTokens, runners } from '../db/schema'
import { tokenPrefixes } from './protocol'

// Recognisable in logs and by secret scanners, as API tokens' `mp_`.
const registrationPrefix = tokenPrefixes.registration
const runnerPrefix = tokenPrefixes.runner

// The lease owner a runner's claims carry: `runner:<id>:<random>`.
export const runnerLeasePrefix = (runnerId: number) => `runner:${runnerId}:`

export async function createRegistrationToken(db: Db, options: { label: string; createdBy: number | null }) {
  const token = registrationPrefix + generateSecret()
  const [row] = await db
    .insert(runnerRegistrationTokens)
    .values({ tokenHash: hashSecret(token), label: options.label, createdBy: options.createdBy })
    .returning({ id: runnerRegistrationTokens.id, label: runnerRegistrationTokens.label, createdAt: runnerRegistrationTokens.createdAt })
  return { ...row, token }
}

export function listRegistrationTokens(db: Db) {
  return db
    .select({ id: runnerRegistrationTokens.id, label: runnerRegistrationTokens.label, createdAt: runnerRegistrationTokens.createdAt })
    .from(runnerRegistrationTokens)
    .orderBy(desc(runnerRegistrationTokens.id))
}

// Returns whether there was such a token. Runners it registered keep working.
export async function deleteRegistrationToken(db: Db, id: number): Promise<boolean> {
  const deleted = await db
    .delete(runnerRegistrationTokens)
    .where(eq(runnerRegistrationTokens.id, id))
    .returning({ id: runnerRegistrationTokens.id })
  return deleted.length > 0
}

// A new runner and its token (shown once), or null when the registration token is unknown.
export async function registerRunner(db: Db, options: { registrationToken: string; name: string }) {
  const [registration] = await db
    .select({ id: runnerRegistrationTokens.id })
    .from(runnerRegistrationTokens)
    .where(eq(runnerRegistrationTokens.tokenHash, hashSecret(options.registrationToken)))
  if (!registration) return null
  const token = runnerPrefix + generateSecret()
  const [row] = await db
    .insert(runners)
    .values({ name: options.name, tokenHash: hashSecret(token), registrationTokenId: registration.id })
    .returning({ id: runners.id, name: runners.name })
  return { ...row, token }
}

export type Runner = { id: number; name: string }

// The runner a token belongs to, recording when and from where it was last seen; null for
// an unknown or revoked token.
export async function authenticateRunner(db: Db, token: string, address: string | null): Promise<Runner | null> {
  const [row] = await db
    .update(runners)
    .set({ lastSeenAt: new Date().toISOString(), lastAddress: address })
    .where(and(eq(runners.tokenHash, hashSecret(token)), isNull(runners.revokedAt)))
    .returning({ id: runners.id, name: runners.name })
  return row ?? null
}

// Returns whether there was such a runner. Its running job, if any, goes back to the
// queue when its lease runs out (the runner's next call is refused).
export async function revokeRunner(db: Db, id: number): Promise<boolean> {
  const revoked = await db
    .update(runners)
    .set({ revokedAt: new Date().toISOString() })
    .where(and(eq(runners.id, id), isNull(runners.revokedAt)))
    .returning({ id: runners.id })
  return revoked.length > 0
}

// Every runner with when it was last seen and the job it holds now (if any).
export async function listRunners(db: Db) {
  const rows = await db
    .select({
      id: runners.id,
      name: runners.name,
      createdAt: runners.createdAt,
      lastSeenAt: runners.lastSeenAt,
      lastAddress: runners.lastAddress,
      revokedAt: runners.revokedAt,
    })
    .from(runners)
    .orderBy(desc(runners.id))
  return Promise.all(rows.map(async row => ({ ...row, currentJob: await currentJobOf(db, row.id) })))
}

async function currentJobOf(db: Db, runnerId: number) {
  const [job] = await db
    .select({ id: jobs.id, mediaId: jobs.mediaId })
    .from(jobs)
    .where(and(eq(jobs.status, 'running'), like(jobs.leaseOwner, `${runnerLeasePrefix(runnerId)}%`)))
    .limit(1)
  return job ?? null
}
