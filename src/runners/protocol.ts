// What the origin and a remote runner say to each other over HTTP (/api/v1/runners/...):
// the request and answer bodies as TypeBox schemas (the routes validate with them, the
// runner can check answers with `Value.Check`), their TypeScript types, and the rules both
// sides share. The origin runs the attempt code; the runner is a remote ffmpeg: it gets
// commands whose paths start with `{media}` (its own job folder), and uploads what ffmpeg
// writes under `.work/<attempt>/`, each path relative to the media folder.
import { type Static, Type } from '@sinclair/typebox'
import type { TranscodePlan } from '../transcoding/args'
import type { SourceProbe } from '../transcoding/probe'

export const runnerApiPrefix = '/api/v1/runners'

// Stands for the origin's `<MediaDataPath>/<mediaId>` in every command: the runner puts its
// own job folder there.
export const mediaPlaceholder = '{media}'

export const tokenPrefixes = { registration: 'mprr_', runner: 'mprt_', job: 'mprj_' } as const

// What a runner may upload: a path `.work/<attempt>/<name>` or `.work/<attempt>/<folder>/<name>`
// (relative to the media folder), each part matching `outputNamePart`, the last one ending
// in one of `outputExtensions`, its folder already made by the origin.
// transcoding/folder.ts's name, written out: this file imports no code, so the runner loads
// none of the attempt's (test/runner-protocol.test.ts uploads there).
export const workFolderName = '.work'
export const outputNamePart = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,79}$/
export const outputExtensions = ['ts', 'm4s', 'mp4', 'm3u8', 'vtt', 'jpg', 'webp'] as const
export const maxOutputDepth = 2
// ffmpeg's working playlists (`.work/<attempt>/<name>.m3u8`) grow: a new text replaces the
// old one. Every other file, once received, keeps its bytes.
export const isReplaceableOutput = (relativePath: string) => /^\.work\/\d+\/[^/]+\.m3u8$/.test(relativePath)

const Count = Type.Integer({ minimum: 0 })
const Text = (maxLength: number, description?: string) => Type.String({ maxLength, description })
const OrNull = <T extends import('@sinclair/typebox').TSchema>(schema: T) => Type.Union([schema, Type.Null()])

export const RegisterBody = Type.Object({
  registrationToken: Type.String({ minLength: 1, maxLength: 200, description: 'A registration token (mprr_…) made by an admin' }),
  name: Type.String({ minLength: 1, maxLength: 80, description: 'Shown on the admin page' }),
})
export type RegisterBody = Static<typeof RegisterBody>

export const Registered = Type.Object({
  runnerId: Type.Integer(),
  runnerToken: Type.String({ description: 'The runner token (mprt_…), shown once: keep it' }),
})
export type Registered = Static<typeof Registered>

export const CommandLimits = Type.Object(
  { memoryBytes: Type.Number(), wallSec: Type.Number(), cpuSec: Type.Number() },
  { description: 'What the command may use (bounded-child): resident memory, wall-clock and CPU time' },
)

export const ClaimedJob = Type.Object({
  id: Type.Integer(),
  mediaId: Type.Integer(),
  attempt: Type.Integer({ description: 'The work folder is `.work/<attempt>/`' }),
  token: Type.String({ description: 'The job token (mprj_…): Bearer on every /jobs/{jobId}/ route, valid for this job only' }),
  leaseMs: Type.Integer({ description: 'Heard of for this long, the job is given to another runner' }),
  heartbeatMs: Type.Integer({ description: 'Send a heartbeat at least this often' }),
  source: Type.Object({
    path: Type.String({ description: 'Relative to the media folder, e.g. source.mkv' }),
    sizeBytes: Count,
    etag: Type.String(),
  }),
  probe: Type.Object({}, { additionalProperties: true, description: "The origin's probe of the source" }),
  plan: Type.Object({}, { additionalProperties: true, description: 'The transcode plan; its paths start with {media}' }),
  uploadLimitBytes: Type.Integer({ description: 'At most this many bytes may be uploaded for this job' }),
})
export const ClaimAnswer = Type.Object({ job: ClaimedJob })
// The probe and plan as the origin's code types them.
export type ClaimAnswer = { job: Omit<Static<typeof ClaimedJob>, 'probe' | 'plan'> & { probe: SourceProbe; plan: TranscodePlan } }

export const RemoteCommand = Type.Object({
  n: Type.Integer({ minimum: 1 }),
  args: Type.Array(Type.String(), { description: "ffmpeg's arguments (without the program), paths starting with {media}" }),
  limits: CommandLimits,
  folders: Type.Array(Type.String(), { description: 'Folders (relative to the media folder) to make before running it' }),
})
export type RemoteCommand = Static<typeof RemoteCommand>

export const CommandAnswer = Type.Union([
  Type.Object({ command: RemoteCommand }),
  Type.Object({ done: Type.Literal(true, { description: 'The attempt is over: stop, delete the job folder, claim again' }) }),
])
export type CommandAnswer = Static<typeof CommandAnswer>

export const HeartbeatBody = Type.Object({
  commands: Type.Array(
    Type.Object({
      n: Type.Integer({ minimum: 1 }),
      progress: OrNull(Type.Record(Type.String(), Type.String(), { description: "ffmpeg's last -progress block" })),
      stderrTail: Text(20_000),
    }),
    { maxItems: 100 },
  ),
})
export type HeartbeatBody = Static<typeof HeartbeatBody>

export const HeartbeatAnswer = Type.Object({
  cancelled: Type.Array(Type.Integer(), { description: 'Commands to kill now' }),
})
export type HeartbeatAnswer = Static<typeof HeartbeatAnswer>

export const ExitBody = Type.Object({
  code: OrNull(Type.Integer({ description: 'The exit code; null when a signal ended it' })),
  stderrTail: Text(20_000),
  limitHit: OrNull(Type.Union([Type.Literal('memory'), Type.Literal('time'), Type.Literal('cpu')])),
  peakRssBytes: Type.Number({ minimum: 0 }),
})
export type ExitBody = Static<typeof ExitBody>

export const FileStored = Type.Object({
  path: Type.String(),
  sizeBytes: Count,
  sha256: Type.String(),
})
export type FileStored = Static<typeof FileStored>
