// Word stems for the search index: «брата», «братом» and «брат» all become «брат», and
// "running", "runs" and "run" become "run", so a search finds a title whatever form of a
// word either side used. Snowball's Russian stemmer for Cyrillic words, its English one
// (Porter2) for every other word; digits pass through unchanged.
import snowball from 'snowball-stemmers'

const russian = snowball.newStemmer('russian')
const english = snowball.newStemmer('english')
const cyrillic = /\p{Script=Cyrillic}/u

// The stem of one folded word (lower case, ё already е).
export function stemOf(word: string): string {
  return (cyrillic.test(word) ? russian : english).stem(word)
}
