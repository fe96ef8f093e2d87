// Recently computed list pages: the ids and the total, never the documents (ratings,
// myRating and posters are read fresh for every answer). Scoring every match of a common
// word costs milliseconds, and the same lists are asked for again and again (live search
// as people type, many visitors on one catalogue). Every write that could change a list
// forgets what it affects; the short lifetime bounds what a writer outside this process
// (another server on the same database) can leave stale.
import { speedTrickOn } from '../config/speed-tricks'
import type { Db } from '../db/client'

const maxEntries = 500
const lifetimeMs = 10_000

export type CachedPage = { ids: number[]; total: number }
type Entry = CachedPage & { isRatingOrder: boolean; expiresAtMs: number }
// `generation` moves on every forget, so a page computed across a write is not kept;
// `titleWrites` only when titles changed (what the genres cache must know).
type Cache = { entries: Map<string, Entry>; generation: number; titleWrites: number }

// One cache per database handle, so two apps in one process never see each other's lists.
const caches = new WeakMap<Db, Cache>()
const isOn = speedTrickOn('list-cache')

function cacheOf(db: Db): Cache {
  let cache = caches.get(db)
  if (!cache) {
    cache = { entries: new Map(), generation: 0, titleWrites: 0 }
    caches.set(db, cache)
  }
  return cache
}

export function cacheGeneration(db: Db): number {
  return cacheOf(db).generation
}

// Moves on every title written or deleted in this process.
export function titleWritesOf(db: Db): number {
  return cacheOf(db).titleWrites
}

export function cachedPage(db: Db, key: string): CachedPage | undefined {
  if (!isOn) return undefined
  const { entries } = cacheOf(db)
  const entry = entries.get(key)
  if (!entry || entry.expiresAtMs < Date.now()) return undefined
  // Map order is insertion order: re-inserting keeps the most used entries last.
  entries.delete(key)
  entries.set(key, entry)
  return entry
}

export function rememberPage(db: Db, key: string, page: CachedPage & { isRatingOrder: boolean; generation: number }) {
  const cache = cacheOf(db)
  if (!isOn || page.generation !== cache.generation) return
  cache.entries.delete(key)
  cache.entries.set(key, {
    ids: page.ids,
    total: page.total,
    isRatingOrder: page.isRatingOrder,
    expiresAtMs: Date.now() + lifetimeMs,
  })
  if (cache.entries.size > maxEntries) cache.entries.delete(cache.entries.keys().next().value as string)
}

// A title written or deleted can change any list; a rating only the order by rating.
export function forgetTitleLists(db: Db, change: 'titles' | 'ratings') {
  const cache = cacheOf(db)
  cache.generation += 1
  if (change === 'titles') {
    cache.titleWrites += 1
    return cache.entries.clear()
  }
  for (const [key, entry] of cache.entries) if (entry.isRatingOrder) cache.entries.delete(key)
}
