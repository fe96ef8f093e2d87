import { Type } from '@sinclair/typebox'
import { userSearchRule } from '../auth/rules'
import { t } from 'elysia'
import { Credentials } from '../auth/model'
import { ListOf, Nullable, PageQuery } from '../http/model'
import { registrationLabelRule } from './rules'

// Admin routes accept a session cookie or an API token of an admin.
export const signedInSecurity: Record<string, string[]>[] = [{ bearer: [] }, { session: [] }]

export const AdminUserSchema = t.Object({
  id: Type.Integer(),
  username: t.String(),
  isAdmin: t.Boolean(),
  adminSource: t.Union([t.Literal('admins.txt'), t.Literal('promoted'), t.Null()], {
    description: 'Why the user is an admin: listed in admins.txt (cannot be demoted here), promoted by an admin, or null',
  }),
  disabled: t.Boolean(),
  disabledAt: Nullable(t.String({ format: 'date-time' })),
  createdAt: t.String({ format: 'date-time' }),
  lastSeenAt: Nullable(t.String({ format: 'date-time' })),
  titlesCount: Type.Integer(),
})
export const AdminUserList = ListOf(AdminUserSchema)
export const AdminUserEnvelope = t.Object({ user: AdminUserSchema })
export const AdminUserQuery = t.Object({
  ...PageQuery,
  q: t.Optional(t.String({ ...userSearchRule, description: 'Part of a username' })),
})

export const UserChangeBody = t.Object(
  {
    disabled: t.Optional(t.Boolean({ description: 'true ends the user’s sessions and API tokens at once' })),
    isAdmin: t.Optional(t.Boolean()),
  },
  { minProperties: 1 },
)

export const OneTimeLink = t.Object({
  url: t.String({ description: 'Shown once; only a hash of its secret is stored' }),
  expiresAt: t.String({ format: 'date-time' }),
})

export const AdminUserCreate = t.Object({
  username: Credentials.properties.username,
  password: t.Optional(Credentials.properties.password),
})
export const AdminUserCreated = t.Object({
  user: AdminUserSchema,
  passwordLink: t.Optional(Nullable(OneTimeLink)),
})

export const InviteCreated = t.Object({ id: Type.Integer(), ...OneTimeLink.properties })
export const InviteSummary = t.Object({
  id: Type.Integer(),
  createdBy: Nullable(Type.Integer()),
  createdAt: t.String({ format: 'date-time' }),
  expiresAt: t.String({ format: 'date-time' }),
  usedAt: Nullable(t.String({ format: 'date-time' })),
  usedBy: Nullable(Type.Integer()),
  isUsable: t.Boolean(),
})
export const InviteList = ListOf(InviteSummary)

// The states of media/queue.ts (`QueueStatus`, which the handler's answer is checked against).
const jobStatus = t.Union([t.Literal('queued'), t.Literal('running'), t.Literal('failed')])

export const AdminJobQuery = t.Object({
  ...PageQuery,
  // Literals, not t.UnionEnum: that one defaults to its first value, and no status means all.
  status: t.Optional(t.Union(jobStatus.anyOf, { description: 'Only the jobs in this state (default: all three)' })),
})

export const AdminJobSchema = t.Object({
  id: Type.Integer(),
  mediaId: Type.Integer(),
  status: jobStatus,
  progress: t.Number({ minimum: 0, maximum: 1 }),
  attempts: Type.Integer(),
  runner: Nullable(t.String({ description: 'The worker holding the job (host:pid:id) while it runs' })),
  error: Nullable(t.String({ description: 'Why its media failed, in English' })),
  errorCode: Nullable(t.String()),
  stderrTail: Nullable(t.String({ description: 'The last lines ffmpeg wrote' })),
  updatedAt: t.String(),
})
export const AdminJobList = ListOf(AdminJobSchema)

// Runners (issue 14): registration tokens an admin hands to runner hosts, and the runners.
export const RegistrationTokenCreate = t.Object({
  // `pattern`: something besides spaces (a JSON Schema pattern is searched for, not anchored).
  label: t.String({ ...registrationLabelRule, pattern: '\\S', description: 'What the admin calls it (say, the machine it is for)' }),
})
export const RegistrationTokenSummary = t.Object({
  id: Type.Integer(),
  label: t.String(),
  createdAt: t.String({ format: 'date-time' }),
})
export const RegistrationTokenList = t.Object({ items: t.Array(RegistrationTokenSummary) })
export const RegistrationTokenCreated = t.Object({
  ...RegistrationTokenSummary.properties,
  token: t.String({ description: 'Shown once; only its SHA-256 hash is stored' }),
  command: t.String({ description: 'The command that registers a runner host with it: `bun run runner --server … --token …`' }),
})

export const RunnerSchema = t.Object({
  id: Type.Integer(),
  name: t.String(),
  createdAt: t.String({ format: 'date-time' }),
  lastSeenAt: Nullable(t.String({ description: 'When its token was last used' })),
  lastAddress: Nullable(t.String({ description: 'The address it last called from' })),
  revokedAt: Nullable(t.String({ description: 'When an admin revoked it; its token is refused since' })),
  currentJob: Nullable(t.Object({ id: Type.Integer(), mediaId: Type.Integer() }, { description: 'The job it runs now' })),
})
export const RunnerList = t.Object({ items: t.Array(RunnerSchema) })
