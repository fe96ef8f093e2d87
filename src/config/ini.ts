// server.ini: keys at the top level of the file (`MediaDataPath="..."`), parsed by the
// `ini` package and checked key by key. A bad value stops start-up with one line naming
// the key (ConfigError), never a stack trace.
import { accessSync, constants, mkdirSync } from 'node:fs'
import { dirname, isAbsolute, resolve } from 'node:path'
import { parse } from 'ini'
import { type IpRange, parseIpRange } from './ip-address'

export class ConfigError extends Error {
  constructor(
    readonly key: string,
    problem: string,
  ) {
    super(`server.ini: ${key}: ${problem}`)
  }
}

export type DatabaseConfig = { url: string; authToken?: string; isEmbedded: boolean }

export type Config = {
  file: string
  mediaDataPath: string
  host: string
  port: number
  database: DatabaseConfig
  adminsFile: string
  ffmpegPath: string
  ffprobePath: string
  workers: number
  maxUploadBytes: number
  // An upload body must bring at least uploadMinRateBytes per second, counted over windows
  // of uploadRateWindowSec spent waiting for the client; a slower one is cut (tus resumes).
  uploadMinRateBytes: number
  uploadRateWindowSec: number
  keepSource: boolean
  publicUrl: string | null
  transcodeLimits: TranscodeLimits
  // Videos one user may have waiting or processing before further uploads are refused.
  maxQueuedJobsPerUser: number
  bodyTimeoutSeconds: number
  maxEventStreamsPerClient: number
  // Reverse proxies whose X-Forwarded-For / Forwarded header names the client (with PublicUrl).
  trustedProxies: IpRange[]
  // Accounts one client address may create per hour (the API and the page together).
  maxSignUpsPerHour: number
  // Who may create an account: anyone, only admins, or people holding an admin's invite link.
  registration: RegistrationMode
  // Web origins whose players may read /media/* (CORS): none by default, or every one.
  corsOrigins: CorsOrigins
  // How long a failed upload's source file is kept for a retry, in days (fractions allowed).
  failedSourceDays: number
  // How the worker runs ffmpeg: native when FFmpegPath and FFprobePath are found (`auto`),
  // else ffmpeg compiled to WebAssembly; `wasm` always the latter.
  transcoder: TranscoderMode
  // The reduced ladder of WebAssembly mode, highest first (src/transcoding/wasm/ladder.ts).
  wasmLadder: WasmLadderStep[]
  // Who may look: anyone (`public`), or only signed-in users (`members`: src/auth/browsing.ts).
  browsing: BrowsingMode
}

export type CorsOrigins = { kind: 'none' } | { kind: 'any' } | { kind: 'listed'; origins: ReadonlySet<string> }

export const registrationModes = ['open', 'closed', 'invite'] as const
export type RegistrationMode = (typeof registrationModes)[number]

// What one ffmpeg or ffprobe run may use: resident memory of its process, and wall-clock
// and CPU seconds of `timeFactor` per second of video plus `timeExtraSec`.
export type TranscodeLimits = { memoryBytes: number; timeFactor: number; timeExtraSec: number }

export const defaultTranscodeLimits: TranscodeLimits = { memoryBytes: 2 * 1024 ** 3, timeFactor: 20, timeExtraSec: 60 }

export const browsingModes = ['public', 'members'] as const
export type BrowsingMode = (typeof browsingModes)[number]

export const transcoderModes = ['auto', 'wasm'] as const
export type TranscoderMode = (typeof transcoderModes)[number]

// `copy`: the source's own video as the top rung, when it qualifies; a number: that rung
// (hls-layout.md's boxes), encoded.
export const wasmLadderSteps = ['copy', '1080', '720', '480', '360'] as const
export type WasmLadderStep = (typeof wasmLadderSteps)[number]
export const defaultWasmLadder: WasmLadderStep[] = ['copy', '360']

type Raw = Record<string, unknown>

function readString(raw: Raw, key: string, fallback: string): string {
  const value = raw[key]
  if (value === undefined || value === '') return fallback
  if (typeof value !== 'string') throw new ConfigError(key, 'expected text')
  return value.trim()
}

function readInteger(raw: Raw, key: string, fallback: number, range: { min: number; max: number }): number {
  const text = readString(raw, key, String(fallback))
  if (!/^\d+$/.test(text)) throw new ConfigError(key, `"${text}" is not a whole number`)
  const value = Number(text)
  if (!Number.isSafeInteger(value) || value < range.min || value > range.max)
    throw new ConfigError(key, `${text} is outside ${range.min}..${range.max}`)
  return value
}

// A decimal number such as 7 or 0.5: a period of days may be a fraction of one.
function readNumber(raw: Raw, key: string, fallback: number, range: { min: number; max: number }): number {
  const text = readString(raw, key, String(fallback))
  if (!/^\d+(\.\d+)?$/.test(text)) throw new ConfigError(key, `"${text}" is not a number`)
  const value = Number(text)
  if (value < range.min || value > range.max) throw new ConfigError(key, `${text} is outside ${range.min}..${range.max}`)
  return value
}

function readBoolean(raw: Raw, key: string, fallback: boolean): boolean {
  const value = raw[key]
  if (value === undefined || value === '') return fallback
  if (typeof value === 'boolean') return value
  const text = String(value).trim().toLowerCase()
  if (['true', 'yes', '1', 'on'].includes(text)) return true
  if (['false', 'no', '0', 'off'].includes(text)) return false
  throw new ConfigError(key, `"${value}" is not true or false`)
}

// Sizes may be written as 10737418240, 10G, 512M, ...
function readBytes(raw: Raw, key: string, fallback: number): number {
  const text = readString(raw, key, String(fallback))
  const match = /^(\d+)\s*([KMGT]?)i?B?$/i.exec(text)
  if (!match) throw new ConfigError(key, `"${text}" is not a size (e.g. 20G)`)
  const power = ' KMGT'.indexOf((match[2] || ' ').toUpperCase())
  const value = Number(match[1]) * 1024 ** power
  if (!Number.isSafeInteger(value) || value <= 0) throw new ConfigError(key, `"${text}" is out of range`)
  return value
}

function readChoice<T extends string>(raw: Raw, key: string, choices: readonly T[], fallback: T): T {
  const text = readString(raw, key, fallback).toLowerCase()
  const choice = choices.find(c => c === text)
  if (!choice) throw new ConfigError(key, `"${text}" is not one of ${choices.join(', ')}`)
  return choice
}

function readWasmLadder(raw: Raw): WasmLadderStep[] {
  const text = readString(raw, 'WasmLadder', defaultWasmLadder.join(','))
  const steps = text.split(',').map(step => step.trim().toLowerCase().replace(/p$/, ''))
  const unknown = steps.find(step => !(wasmLadderSteps as readonly string[]).includes(step))
  if (unknown !== undefined) throw new ConfigError('WasmLadder', `"${unknown}" is not one of ${wasmLadderSteps.join(', ')}`)
  // Highest first, each once: the order written does not matter.
  return wasmLadderSteps.filter(step => steps.includes(step))
}

function ensureWritableFolder(key: string, path: string): string {
  try {
    mkdirSync(path, { recursive: true })
    accessSync(path, constants.W_OK)
  } catch (error) {
    throw new ConfigError(key, `folder ${path} cannot be created or written (${(error as NodeJS.ErrnoException).code})`)
  }
  return path
}

function readDatabase(raw: Raw, baseDir: string, mediaDataPath: string): DatabaseConfig {
  const value = readString(raw, 'Database', '')
  const authToken = readString(raw, 'DatabaseAuthToken', '') || undefined
  if (/^(libsql|https?|wss?):\/\//i.test(value)) return { url: value, authToken, isEmbedded: false }
  // The embedded default lives in the data folder, next to the media it describes.
  const path = value ? resolve(baseDir, value.replace(/^file:/, '')) : resolve(mediaDataPath, 'moviepoint.db')
  ensureWritableFolder('Database', dirname(path))
  return { url: `file:${path}`, isEmbedded: true }
}

function readPublicUrl(raw: Raw): string | null {
  const value = readString(raw, 'PublicUrl', '')
  if (!value) return null
  try {
    const url = new URL(value)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error()
    return url.origin
  } catch {
    throw new ConfigError('PublicUrl', `"${value}" is not an http(s) URL`)
  }
}

// Comma-separated addresses and CIDR ranges. A proxy's header is believed only behind a
// public address, so a list without PublicUrl is a mistake worth stopping for.
function readTrustedProxies(raw: Raw, publicUrl: string | null): IpRange[] {
  const entries = readString(raw, 'TrustedProxies', '')
    .split(',')
    .map(entry => entry.trim())
    .filter(Boolean)
  const ranges = entries.map(entry => {
    const range = parseIpRange(entry)
    if (!range) throw new ConfigError('TrustedProxies', `"${entry}" is not an IP address or CIDR range (e.g. 10.0.0.0/8)`)
    return range
  })
  if (ranges.length > 0 && publicUrl === null)
    throw new ConfigError('TrustedProxies', "set PublicUrl too: a proxy's client address is used only behind a public address")
  return ranges
}

// An http(s) origin written alone: no path, query or credentials, lower case, no default port.
function originOf(entry: string): string | null {
  if (!URL.canParse(entry)) return null
  const url = new URL(entry)
  const isWeb = url.protocol === 'http:' || url.protocol === 'https:'
  return isWeb && url.origin === entry.replace(/\/$/, '') ? url.origin : null
}

// `*` (any site) or comma-separated origins (`https://player.example, http://localhost:3000`),
// each exactly as browsers send it in `Origin`: scheme, host, port if not the default.
function readCorsOrigins(raw: Raw): CorsOrigins {
  const entries = readString(raw, 'CorsOrigins', '')
    .split(',')
    .map(entry => entry.trim())
    .filter(Boolean)
  if (entries.length === 0) return { kind: 'none' }
  if (entries.includes('*')) {
    if (entries.length > 1) throw new ConfigError('CorsOrigins', '"*" allows every origin: list no others with it')
    return { kind: 'any' }
  }
  const origins = entries.map(entry => {
    const origin = originOf(entry)
    if (!origin) throw new ConfigError('CorsOrigins', `"${entry}" is not an origin (scheme://host[:port], e.g. https://player.example)`)
    return origin
  })
  return { kind: 'listed', origins: new Set(origins) }
}

function resolvePath(baseDir: string, value: string): string {
  return isAbsolute(value) ? value : resolve(baseDir, value)
}

// Programs named without a slash are looked up on PATH by the OS.
function resolveProgram(baseDir: string, value: string): string {
  return value.includes('/') ? resolvePath(baseDir, value) : value
}

export function parseConfig(text: string, file: string): Config {
  let raw: Raw
  try {
    raw = parse(text)
  } catch (error) {
    throw new ConfigError('(file)', `cannot be parsed: ${(error as Error).message}`)
  }
  const baseDir = dirname(file)
  const publicUrl = readPublicUrl(raw)
  const mediaDataPath = ensureWritableFolder('MediaDataPath', resolvePath(baseDir, readString(raw, 'MediaDataPath', 'data/media')))
  return {
    file,
    mediaDataPath,
    host: readString(raw, 'Host', '0.0.0.0'),
    port: readInteger(raw, 'Port', 8080, { min: 0, max: 65535 }),
    database: readDatabase(raw, baseDir, mediaDataPath),
    adminsFile: resolvePath(baseDir, readString(raw, 'AdminsFile', 'admins.txt')),
    ffmpegPath: resolveProgram(baseDir, readString(raw, 'FFmpegPath', 'ffmpeg')),
    ffprobePath: resolveProgram(baseDir, readString(raw, 'FFprobePath', 'ffprobe')),
    workers: readInteger(raw, 'Workers', 1, { min: 0, max: 64 }),
    maxUploadBytes: readBytes(raw, 'MaxUploadBytes', 100 * 1024 ** 3),
    uploadMinRateBytes: readBytes(raw, 'UploadMinRate', 1024),
    uploadRateWindowSec: readInteger(raw, 'UploadRateWindow', 30, { min: 1, max: 3600 }),
    keepSource: readBoolean(raw, 'KeepSource', true),
    publicUrl,
    transcodeLimits: {
      memoryBytes: readBytes(raw, 'TranscodeMemoryLimit', defaultTranscodeLimits.memoryBytes),
      timeFactor: readInteger(raw, 'TranscodeTimeFactor', defaultTranscodeLimits.timeFactor, { min: 1, max: 1000 }),
      timeExtraSec: readInteger(raw, 'TranscodeTimeExtraSec', defaultTranscodeLimits.timeExtraSec, { min: 1, max: 86_400 }),
    },
    maxQueuedJobsPerUser: readInteger(raw, 'MaxQueuedJobsPerUser', 100, { min: 1, max: 100_000 }),
    bodyTimeoutSeconds: readInteger(raw, 'BodyTimeoutSeconds', 20, { min: 1, max: 3600 }),
    maxEventStreamsPerClient: readInteger(raw, 'MaxEventStreamsPerClient', 16, { min: 1, max: 100_000 }),
    trustedProxies: readTrustedProxies(raw, publicUrl),
    maxSignUpsPerHour: readInteger(raw, 'MaxSignUpsPerHour', 10, { min: 1, max: 1_000_000 }),
    registration: readChoice(raw, 'Registration', registrationModes, 'open'),
    corsOrigins: readCorsOrigins(raw),
    failedSourceDays: readNumber(raw, 'FailedSourceDays', 7, { min: 0.00001, max: 36_500 }),
    transcoder: readChoice(raw, 'Transcoder', transcoderModes, 'auto'),
    wasmLadder: readWasmLadder(raw),
    browsing: readChoice(raw, 'Browsing', browsingModes, 'public'),
  }
}
