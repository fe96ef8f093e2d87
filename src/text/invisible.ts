// text/: checks on user text that several features share; here, invisible characters.
// Characters that show nothing themselves but change what the text around them shows:
// bidi controls (U+202E turns "gnp.exe" into "exe.png" on screen) and zero-width
// characters ("admin" and "ad\u200Bmin" look the same). Names lose them when stored.
//
// U+200C (ZWNJ) and U+200D (ZWJ) are part of correct spelling in some scripts (Persian,
// Indic) and of emoji sequences (👨‍👩‍👧). In names we strip them anyway: without them a
// Persian name shows its letters joined and a family emoji as its three people, still
// readable, while they are the easiest way to make two names that look identical.
// Free text (descriptions, reviews) keeps them and is isolated where it is shown instead.
const bidiControls = '\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069'
const zeroWidth = '\u200b-\u200d\u2060\ufeff'
const invisible = new RegExp(`[${bidiControls}${zeroWidth}]`, 'gu')

export function stripInvisible(text: string): string {
  return text.replace(invisible, '')
}
