// Text folding and the full-text index. SQLite's lower() and LIKE fold only ASCII, so
// every key that must match case-insensitively in Russian (the search index, the name
// sort key, genre keys) is folded here, in JS, and queries are folded the same way. The index
// keeps each text twice: its folded words, and their stems (stems.ts).
import { type SQL, sql } from 'drizzle-orm'
import { stemOf } from './stems'

// Lower case, ё → е (Russian text is written both ways), one Unicode form.
export function foldText(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/ё/g, 'е')
}

// Words as the unicode61 tokenizer sees them: runs of letters, digits and marks.
const wordPattern = /[\p{L}\p{N}\p{M}]+/gu

// More words than this only slow the query down without narrowing it in practice.
const maxQueryWords = 12

function foldedWords(text: string): string[] {
  return foldText(text).match(wordPattern) ?? []
}

// What the index keeps of a text: its folded words, and the stem of each.
function stemsOf(text: string): string {
  return foldedWords(text).map(stemOf).join(' ')
}

// The FTS5 MATCH expressions for what a person typed. Every word is a quoted term, so
// nothing typed can become FTS syntax (AND, NEAR, column filters, parentheses); all
// words must match, each as typed (a prefix, so live search finds while typing) or by
// its stem (another form of the same word). The two narrower ones rank the matches.
export type SearchQuery = {
  // every word, as typed or by stem, anywhere: what is found
  matches: string
  // every word whole, as typed, in the name or the original name: ranked first
  titleWords: string
  // every word, as typed or by stem, in the name or the original name: ranked next
  titleForms: string
}

const quoted = (word: string) => `"${word.replaceAll('"', '""')}"`

export function searchQuery(query: string): SearchQuery | null {
  const words = foldedWords(query).slice(0, maxQueryWords)
  if (words.length === 0) return null
  const each = (term: (word: string, stem: string) => string) => words.map(word => term(word, stemOf(word))).join(' AND ')
  return {
    matches: each(
      (word, stem) =>
        `({name original_name description} : ${quoted(word)}* OR {name_stems original_name_stems description_stems} : ${quoted(stem)}*)`,
    ),
    titleWords: each(word => `{name original_name} : ${quoted(word)}`),
    titleForms: each((word, stem) => `({name original_name} : ${quoted(word)}* OR {name_stems original_name_stems} : ${quoted(stem)}*)`),
  }
}

export type SearchText = { name: string; originalName: string | null; description: string | null }

// Statements that make the index row of a title match its current text. They belong in
// the same batch as the title write, so the index never disagrees with the table.
export function replaceSearchRow(titleId: number | SQL, text: SearchText): SQL[] {
  return [deleteSearchRow(titleId), insertSearchRow(titleId, text)]
}

export function insertSearchRow(titleId: number | SQL, text: SearchText): SQL {
  const [name, originalName, description] = [text.name, text.originalName ?? '', text.description ?? '']
  return sql`INSERT INTO titles_search (rowid, name, original_name, description, name_stems, original_name_stems, description_stems)
    VALUES (${titleId}, ${foldText(name)}, ${foldText(originalName)}, ${foldText(description)},
      ${stemsOf(name)}, ${stemsOf(originalName)}, ${stemsOf(description)})`
}

export function deleteSearchRow(titleId: number | SQL): SQL {
  return sql`DELETE FROM titles_search WHERE rowid = ${titleId}`
}

// Relevance, best first: every word whole in the name (or original name), then every word
// in the name by prefix or stem, then the rest (a word only in the description); within
// each, bm25 with a hit in the name counting most, then the original name, then the
// description, and a word as typed counting twice its stem. (Each IN list is one more
// search of the index, made once per query.)
export function searchOrder(search: SearchQuery): SQL[] {
  const tier = sql`CASE
    WHEN rowid IN (SELECT rowid FROM titles_search WHERE titles_search MATCH ${search.titleWords}) THEN 0
    WHEN rowid IN (SELECT rowid FROM titles_search WHERE titles_search MATCH ${search.titleForms}) THEN 1
    ELSE 2 END`
  return [tier, sql`bm25(titles_search, 10.0, 4.0, 1.0, 5.0, 2.0, 0.5)`]
}

// The ids of the titles matching the search, unscored.
export function searchRowIds(search: SearchQuery): SQL {
  return sql`(SELECT rowid FROM titles_search WHERE titles_search MATCH ${search.matches})`
}

// (title_id, tier, rank) of the titles matching the search; lower is better.
export function searchMatches(search: SearchQuery): SQL {
  const [tier, rank] = searchOrder(search)
  return sql`(SELECT rowid AS title_id, ${tier} AS tier, ${rank} AS rank FROM titles_search WHERE titles_search MATCH ${search.matches})`
}
