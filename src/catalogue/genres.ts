// The genres offered in the catalogue's filter: the most used ones. Genre keys are stored
// folded ("научная фантастика"); the pages show them with a capital first letter.
import { count, desc } from 'drizzle-orm'
import type { Db } from '../db/client'
import { titleGenres } from '../db/schema'

const shownGenres = 60
// The list changes rarely and costs a scan of title_genres: recomputed at most this often.
const cacheMs = 30_000

const cache = new WeakMap<Db, { atMs: number; genres: string[] }>()

export async function popularGenres(db: Db): Promise<string[]> {
  const cached = cache.get(db)
  if (cached && Date.now() - cached.atMs < cacheMs) return cached.genres
  const rows = await db
    .select({ key: titleGenres.genreKey, uses: count() })
    .from(titleGenres)
    .groupBy(titleGenres.genreKey)
    .orderBy(desc(count()), titleGenres.genreKey)
    .limit(shownGenres)
  const genres = rows.map(row => row.key).sort((a, b) => a.localeCompare(b))
  cache.set(db, { atMs: Date.now(), genres })
  return genres
}
