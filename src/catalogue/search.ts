// Text folding and the full-text index. SQLite's lower() and LIKE fold only ASCII, so
// every key that must match case-insensitively in Russian (the search index, the name
// sort key, genre keys) is folded here, in JS, and queries are folded the same way.
import { type SQL, sql } from 'drizzle-orm'

// Lower case, ё → е (Russian text is written both ways), one Unicode form.
export function foldText(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/ё/g, 'е')
}

// Words as the unicode61 tokenizer sees them: runs of letters, digits and marks.
const wordPattern = /[\p{L}\p{N}\p{M}]+/gu

// More words than this only slow the query down without narrowing it in practice.
const maxQueryWords = 12

// The FTS5 MATCH expression for what a person typed, or null when it has no words.
// Every word is a quoted prefix term, so nothing typed can become FTS syntax
// (AND, NEAR, column filters, parentheses); all words must match.
export function matchExpression(query: string): string | null {
  const words = foldText(query).match(wordPattern)?.slice(0, maxQueryWords) ?? []
  if (words.length === 0) return null
  return words.map(word => `"${word.replaceAll('"', '""')}"*`).join(' ')
}

export type SearchText = { name: string; originalName: string | null; description: string | null }

// Statements that make the index row of a title match its current text. They belong in
// the same batch as the title write, so the index never disagrees with the table.
export function replaceSearchRow(titleId: number | SQL, text: SearchText): SQL[] {
  return [deleteSearchRow(titleId), insertSearchRow(titleId, text)]
}

export function insertSearchRow(titleId: number | SQL, text: SearchText): SQL {
  return sql`INSERT INTO titles_search (rowid, name, original_name, description) VALUES (${titleId}, ${foldText(
    text.name,
  )}, ${foldText(text.originalName ?? '')}, ${foldText(text.description ?? '')})`
}

export function deleteSearchRow(titleId: number | SQL): SQL {
  return sql`DELETE FROM titles_search WHERE rowid = ${titleId}`
}

// Relevance: a hit in the name counts most, then the original name, then the description.
export const searchRank = sql`bm25(titles_search, 10.0, 4.0, 1.0)`

// The ids of the titles matching the expression, unscored.
export function searchRowIds(expression: string): SQL {
  return sql`(SELECT rowid FROM titles_search WHERE titles_search MATCH ${expression})`
}

// (rowid, rank) of the titles matching the expression; lower rank is better.
export function searchMatches(expression: string): SQL {
  return sql`(SELECT rowid AS title_id, ${searchRank} AS rank FROM titles_search WHERE titles_search MATCH ${expression})`
}
