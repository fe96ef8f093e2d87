// Start-up: every title gets its search-index row. Rows are written with each title
// (titles.ts); this fills the ones missing, which after migration 0004 (the index rebuilt
// with word stems, computed here in JavaScript) is all of them. A start-up cut short
// leaves the rest for the next one.
import { notInArray, sql } from 'drizzle-orm'
import type { Db } from '../db/client'
import { titles } from '../db/schema'
import { forgetTitleLists } from './list-cache'
import { replaceSearchRow } from './search'

const rowsPerBatch = 500

export async function fillSearchIndex(db: Db): Promise<number> {
  const missing = await db
    .select({ id: titles.id, name: titles.name, originalName: titles.originalName, description: titles.description })
    .from(titles)
    .where(notInArray(titles.id, sql`(SELECT rowid FROM titles_search)`))
  for (let start = 0; start < missing.length; start += rowsPerBatch) {
    // Replaced, not inserted: another server on the same database may have written one meanwhile.
    const inserts = missing
      .slice(start, start + rowsPerBatch)
      .flatMap(row => replaceSearchRow(row.id, row).map(statement => db.run(statement)))
    await db.batch(inserts as [(typeof inserts)[number], ...typeof inserts])
  }
  if (missing.length > 0) forgetTitleLists(db, 'titles')
  return missing.length
}
