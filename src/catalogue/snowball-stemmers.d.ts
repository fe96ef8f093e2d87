// The package ships plain JavaScript; this is the part of its API the catalogue uses.
declare module 'snowball-stemmers' {
  type Stemmer = { stem(word: string): string }
  const snowball: { newStemmer(algorithm: 'russian' | 'english'): Stemmer; algorithms(): string[] }
  export default snowball
}
