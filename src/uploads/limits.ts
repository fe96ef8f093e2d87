// The same limits guard every way in (tus creation and PATCH, raw PUT): a size the
// client announces is checked before a byte is stored, and a body is never allowed to
// grow past it.
import { statfs } from 'node:fs/promises'
import type { Config } from '../config'
import { AppError, badRequest, payloadTooLarge } from '../http/errors'
import type { BodyPace } from './body-pace'

export type UploadLimits = { maxUploadBytes: number; pace: BodyPace }

export function uploadLimitsOf(config: Config): UploadLimits {
  const windowMs = config.uploadRateWindowSec * 1000
  return {
    maxUploadBytes: config.maxUploadBytes,
    pace: { windowMs, minBytes: config.uploadMinRateBytes * config.uploadRateWindowSec },
  }
}

// Never fill the disk to the last byte: the database and the transcoder's output live there too.
export const diskReserveBytes = 256 * 1024 ** 2

export const insufficientStorage = (message = 'The server does not have enough free disk space for this upload') =>
  new AppError('insufficient_storage', message)

// A byte count from a header: digits only, no sign, no exponent, within 2^53.
export function parseByteCount(header: string, text: string): number {
  const value = /^\d{1,16}$/.test(text) ? Number(text) : Number.NaN
  if (!Number.isSafeInteger(value)) throw badRequest('invalid_length', `Invalid header "${header}": not a byte count`)
  return value
}

export function assertAllowedSize(sizeBytes: number, maxUploadBytes: number) {
  if (sizeBytes > maxUploadBytes)
    throw payloadTooLarge(`Uploads are limited to ${maxUploadBytes} bytes (MaxUploadBytes); this one has ${sizeBytes}`)
}

type DiskStats = { bavail: number | bigint; bsize: number | bigint }

export function freeBytesOf(stats: DiskStats): number {
  return Number(stats.bavail) * Number(stats.bsize)
}

export function hasRoomFor(sizeBytes: number, stats: DiskStats): boolean {
  return freeBytesOf(stats) - diskReserveBytes >= sizeBytes
}

// `readStats` is there so tests can pretend the disk is full.
export async function assertRoomOnDisk(folder: string, sizeBytes: number, readStats: (folder: string) => Promise<DiskStats> = statfs) {
  if (!hasRoomFor(sizeBytes, await readStats(folder))) throw insufficientStorage()
}

export function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code
  return code === 'ENOSPC' || code === 'EDQUOT'
}
