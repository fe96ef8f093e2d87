// The genres offered in the catalogue's filter: the most used ones. Genre keys are stored
// folded ("научная фантастика"); the pages show them with a capital first letter.
import { count, desc } from 'drizzle-orm'
import { speedTrickOn } from '../config/speed-tricks'
import type { Db } from '../db/client'
import { titleGenres } from '../db/schema'
import { titleWritesOf } from './list-cache'

const shownGenres = 60
// The list changes rarely and costs a scan of title_genres: kept until a title is written
// here, and at most this long (for writes made by another server on the same database).
const cacheMs = speedTrickOn('genres-cache') ? 30_000 : 0

const cache = new WeakMap<Db, { atMs: number; titleWrites: number; genres: string[] }>()

export async function popularGenres(db: Db): Promise<string[]> {
  const cached = cache.get(db)
  const titleWrites = titleWritesOf(db)
  if (cached && cached.titleWrites === titleWrites && Date.now() - cached.atMs < cacheMs) return cached.genres
  const rows = await db
    .select({ key: titleGenres.genreKey, uses: count() })
    .from(titleGenres)
    .groupBy(titleGenres.genreKey)
    .orderBy(desc(count()), titleGenres.genreKey)
    .limit(shownGenres)
  const genres = rows.map(row => row.key).sort((a, b) => a.localeCompare(b))
  cache.set(db, { atMs: Date.now(), titleWrites, genres })
  return genres
}
