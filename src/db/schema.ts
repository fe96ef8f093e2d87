// db/: the drizzle schema (this file), the libSQL client, the migrations runner, row types.
// The whole database of MoviePoint. camelCase keys map to snake_case columns;
// timestamps are ISO 8601 UTC text written by SQL defaults or by the services.
import { sql } from 'drizzle-orm'
import { type AnySQLiteColumn, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

// Now, as the ISO 8601 text every timestamp column holds.
export const nowIso = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`
const createdAt = () => text('created_at').notNull().default(nowIso)
const updatedAt = () => text('updated_at').notNull().default(nowIso)
const timestamps = () => ({ createdAt: createdAt(), updatedAt: updatedAt() })
const id = () => integer('id').primaryKey({ autoIncrement: true })
// A required link to another row; the row goes when the one it links to goes.
const cascadingRef = <TName extends string>(name: TName, target: () => AnySQLiteColumn) =>
  integer(name).notNull().references(target, { onDelete: 'cascade' })
// A link that may be empty; it is emptied when the row it links to goes.
const optionalRef = <TName extends string>(name: TName, target: () => AnySQLiteColumn) =>
  integer(name).references(target, { onDelete: 'set null' })
// The SHA-256 (hex) of a secret handed out as a token or a link: only its holder has the secret.
const tokenHash = () => text('token_hash').notNull()
// The admin who made a token or a link; what they made outlives their account.
const createdBy = () => optionalRef('created_by', () => users.id)
// A one-time link an admin makes (an invite, a password reset): usable while unused and
// unexpired, as auth/secret-links.ts reads it.
const oneTimeLink = () => ({
  tokenHash: tokenHash(),
  createdBy: createdBy(),
  expiresAtMs: integer('expires_at_ms').notNull(),
  usedAt: text('used_at'),
  createdAt: createdAt(),
})

export const users = sqliteTable(
  'users',
  {
    id: id(),
    username: text('username').notNull(),
    // Lower-cased username: "Ivan" and "ivan" are one account.
    usernameKey: text('username_key').notNull(),
    passwordHash: text('password_hash').notNull(),
    // UTS #39 skeleton of the username: "аdmin0" (Cyrillic а) and "admin0" share one,
    // so the second is refused. Filled at start-up for rows made before the column.
    usernameSkeleton: text('username_skeleton'),
    // Promoted by an admin; the ids in admins.txt are admins whatever this says.
    isAdmin: integer('is_admin', { mode: 'boolean' }).notNull().default(false),
    // Set by an admin: a disabled user cannot sign in and has no sessions or tokens.
    disabledAt: text('disabled_at'),
    // The player's remembered choices, applied to every film: a language tag (`ru`, `en`),
    // and for subtitles also `off`. Null: nothing chosen yet.
    preferredAudioLang: text('preferred_audio_lang'),
    preferredSubtitleLang: text('preferred_subtitle_lang'),
    createdAt: createdAt(),
  },
  t => [uniqueIndex('users_username_key').on(t.usernameKey), index('users_username_skeleton').on(t.usernameSkeleton)],
)

// Lucia's session design: the id is the SHA-256 (hex) of the secret token that
// only the browser holds, so a leaked database cannot be replayed as cookies.
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: cascadingRef('user_id', () => users.id),
    expiresAtMs: integer('expires_at_ms').notNull(),
    csrfToken: text('csrf_token').notNull(),
    // For the list of one's sessions: which browser, and when it was last used.
    userAgent: text('user_agent'),
    lastSeenAtMs: integer('last_seen_at_ms'),
    createdAt: createdAt(),
  },
  t => [index('sessions_user').on(t.userId)],
)

export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: id(),
    userId: cascadingRef('user_id', () => users.id),
    name: text('name').notNull(),
    tokenHash: tokenHash(),
    createdAt: createdAt(),
    lastUsedAt: text('last_used_at'),
  },
  t => [uniqueIndex('api_tokens_hash').on(t.tokenHash), index('api_tokens_user').on(t.userId)],
)

// Single-use sign-up links an admin makes when Registration=invite.
export const invites = sqliteTable(
  'invites',
  {
    id: id(),
    ...oneTimeLink(),
    usedBy: optionalRef('used_by', () => users.id),
  },
  t => [uniqueIndex('invites_token_hash').on(t.tokenHash)],
)

// One-time links that let a user set a new password, made by an admin.
export const passwordResets = sqliteTable(
  'password_resets',
  {
    id: id(),
    userId: cascadingRef('user_id', () => users.id),
    ...oneTimeLink(),
  },
  t => [uniqueIndex('password_resets_token_hash').on(t.tokenHash), index('password_resets_user').on(t.userId)],
)

export const titles = sqliteTable(
  'titles',
  {
    id: id(),
    kind: text('kind', { enum: ['movie', 'series'] }).notNull(),
    name: text('name').notNull(),
    originalName: text('original_name'),
    year: integer('year'),
    description: text('description'),
    // Display spellings, JSON array; `title_genres` holds the folded keys for filtering.
    genres: text('genres', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    // Folded name (lower case, ё → е) so that sort=name orders А→Я and A→Z.
    nameKey: text('name_key').notNull(),
    // Null once its owner deleted their account and chose to leave the title: only admins may change it then.
    ownerId: optionalRef('owner_id', () => users.id),
    // Kept in step with `ratings` by the rating service so sort=rating needs no aggregate.
    ratingSum: integer('rating_sum').notNull().default(0),
    ratingCount: integer('rating_count').notNull().default(0),
    ...timestamps(),
  },
  t => [
    index('titles_created').on(t.createdAt),
    index('titles_year').on(t.year),
    index('titles_name_key').on(t.nameKey),
    index('titles_owner').on(t.ownerId),
  ],
)

export const titleGenres = sqliteTable(
  'title_genres',
  {
    titleId: cascadingRef('title_id', () => titles.id),
    genreKey: text('genre_key').notNull(),
  },
  t => [primaryKey({ columns: [t.titleId, t.genreKey] }), index('title_genres_key').on(t.genreKey)],
)

export const seasons = sqliteTable(
  'seasons',
  {
    id: id(),
    titleId: cascadingRef('title_id', () => titles.id),
    number: integer('number').notNull(),
    name: text('name'),
    ...timestamps(),
  },
  t => [uniqueIndex('seasons_title_number').on(t.titleId, t.number)],
)

export const episodes = sqliteTable(
  'episodes',
  {
    id: id(),
    seasonId: cascadingRef('season_id', () => seasons.id),
    number: integer('number').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    ...timestamps(),
  },
  t => [uniqueIndex('episodes_season_number').on(t.seasonId, t.number)],
)

export const ratings = sqliteTable(
  'ratings',
  {
    userId: cascadingRef('user_id', () => users.id),
    titleId: cascadingRef('title_id', () => titles.id),
    score: integer('score').notNull(),
    ...timestamps(),
  },
  t => [primaryKey({ columns: [t.userId, t.titleId] }), index('ratings_title').on(t.titleId)],
)

export const reviews = sqliteTable(
  'reviews',
  {
    id: id(),
    titleId: cascadingRef('title_id', () => titles.id),
    userId: cascadingRef('user_id', () => users.id),
    body: text('body').notNull(),
    spoiler: integer('spoiler', { mode: 'boolean' }).notNull().default(false),
    ...timestamps(),
  },
  t => [uniqueIndex('reviews_title_user').on(t.titleId, t.userId), index('reviews_title_created').on(t.titleId, t.createdAt)],
)

export const mediaStatuses = ['uploading', 'queued', 'processing', 'ready', 'failed'] as const
export type MediaStatus = (typeof mediaStatuses)[number]

export type SourceInfo = {
  width: number
  height: number
  videoCodec: string
  audioTracks: number
  frameRate?: number
}
// The optional fields are what the master playlist needs (written by the worker).
export type Rendition = {
  name: string
  width: number
  height: number
  bandwidth: number
  averageBandwidth?: number
  frameRate?: number
  codecs?: string
}
// `key` names the files (audio_<key>.m3u8) when two tracks share a language: en, en-2.
// `channels` is set on a surround rendition (6); a track without it is stereo.
export type AudioTrack = { lang: string; name: string; key?: string; channels?: number }
export type SubtitleTrack = { lang: string; name: string }

// One video: the movie's, or an episode's. Exactly one of titleId/episodeId is set.
// Deleting the title or episode cascades here; the service removes the files first.
export const media = sqliteTable(
  'media',
  {
    id: id(),
    titleId: integer('title_id').references(() => titles.id, { onDelete: 'cascade' }),
    episodeId: integer('episode_id').references(() => episodes.id, { onDelete: 'cascade' }),
    // Null once the uploader deleted their account (the title decides who may change it).
    ownerId: optionalRef('owner_id', () => users.id),
    status: text('status', { enum: mediaStatuses }).notNull().default('uploading'),
    progress: real('progress').notNull().default(0),
    // The English sentence (the API's `error`); pages say `errorCode` in the viewer's language.
    error: text('error'),
    errorCode: text('error_code'),
    errorParams: text('error_params', { mode: 'json' }).$type<Record<string, string | number>>(),
    // The client's filename: display text only, never a path.
    originalFilename: text('original_filename'),
    sizeBytes: integer('size_bytes'),
    durationSec: real('duration_sec'),
    source: text('source', { mode: 'json' }).$type<SourceInfo>(),
    renditions: text('renditions', { mode: 'json' }).$type<Rendition[]>().notNull().default(sql`'[]'`),
    audio: text('audio', { mode: 'json' }).$type<AudioTrack[]>().notNull().default(sql`'[]'`),
    subtitles: text('subtitles', { mode: 'json' }).$type<SubtitleTrack[]>().notNull().default(sql`'[]'`),
    // True once master.m3u8 exists (first segments of every rung written).
    isPlayable: integer('is_playable', { mode: 'boolean' }).notNull().default(false),
    // Transcoding attempts that started publishing, whatever job they belonged to: the tag of
    // the URIs an attempt lists its new files by (transcoding/previous.ts), never used twice.
    publications: integer('publications').notNull().default(0),
    ...timestamps(),
  },
  t => [index('media_title').on(t.titleId), index('media_episode').on(t.episodeId), index('media_owner_status').on(t.ownerId, t.status)],
)

export const jobStatuses = ['queued', 'running', 'done', 'failed'] as const
export type JobStatus = (typeof jobStatuses)[number]

// Transcoding jobs. A worker claims one with UPDATE … RETURNING and holds a lease
// it renews by heartbeat; a lease that ran out belongs to a dead worker and the
// job is claimed again from a clean state.
export const jobs = sqliteTable(
  'jobs',
  {
    id: id(),
    mediaId: cascadingRef('media_id', () => media.id),
    status: text('status', { enum: jobStatuses }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    leaseOwner: text('lease_owner'),
    leaseExpiresAtMs: integer('lease_expires_at_ms'),
    stderrTail: text('stderr_tail'),
    // When a worker last took the job: claims go to the user served least recently.
    claimedAtMs: integer('claimed_at_ms'),
    ...timestamps(),
  },
  t => [index('jobs_status').on(t.status, t.leaseExpiresAtMs), index('jobs_media').on(t.mediaId)],
)

// "Continue watching": the last position per user and media.
export const watchPositions = sqliteTable(
  'watch_positions',
  {
    userId: cascadingRef('user_id', () => users.id),
    mediaId: cascadingRef('media_id', () => media.id),
    positionSec: real('position_sec').notNull(),
    updatedAt: updatedAt(),
  },
  t => [primaryKey({ columns: [t.userId, t.mediaId] })],
)

// Tokens an admin makes so that transcoding runners on other machines can register
// (PeerTube's model). Reusable until deleted; only the hash is stored.
export const runnerRegistrationTokens = sqliteTable(
  'runner_registration_tokens',
  {
    id: id(),
    tokenHash: tokenHash(),
    label: text('label').notNull(),
    createdBy: createdBy(),
    createdAt: createdAt(),
  },
  t => [uniqueIndex('runner_registration_tokens_hash').on(t.tokenHash)],
)

// A registered runner: a machine that transcodes over HTTP with its own token (stored
// hashed). Revoking keeps the row for the admin page and refuses the token. The job it
// runs now is the one whose `lease_owner` is `runner:<id>:…`.
export const runners = sqliteTable(
  'runners',
  {
    id: id(),
    name: text('name').notNull(),
    tokenHash: tokenHash(),
    registrationTokenId: optionalRef('registration_token_id', () => runnerRegistrationTokens.id),
    lastSeenAt: text('last_seen_at'),
    lastAddress: text('last_address'),
    revokedAt: text('revoked_at'),
    createdAt: createdAt(),
  },
  t => [uniqueIndex('runners_token_hash').on(t.tokenHash)],
)
