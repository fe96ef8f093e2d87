// Language tags of audio and subtitle tracks. Files tag them in ISO 639-2 (`eng`, `rus`,
// `fre`…) or BCP 47 (`en-US`); playlists and file names use ISO 639-1 (`en`), and `und`
// when a track says nothing usable.

// Every ISO 639-1 code: the list a subtitle upload's `lang` is checked against.
export const iso6391Codes: ReadonlySet<string> = new Set(
  (
    'aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy ' +
    'da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu ' +
    'hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb ' +
    'lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om ' +
    'or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ' +
    'ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu'
  ).split(' '),
)

export const undetermined = 'und'

// ISO 639-2/B codes (bibliographic); Intl only knows the /T twins (fre → fra → fr).
const bibliographicCodes: Record<string, string> = {
  alb: 'sq',
  arm: 'hy',
  baq: 'eu',
  bur: 'my',
  chi: 'zh',
  cze: 'cs',
  dut: 'nl',
  fre: 'fr',
  geo: 'ka',
  ger: 'de',
  gre: 'el',
  ice: 'is',
  mac: 'mk',
  mao: 'mi',
  may: 'ms',
  per: 'fa',
  rum: 'ro',
  slo: 'sk',
  tib: 'bo',
  wel: 'cy',
}

// ICU's alias data maps 639-2/T and deprecated codes to 639-1 ("rus" → "ru", "iw" → "he").
function canonicalCode(code: string): string {
  try {
    return Intl.getCanonicalLocales(code)[0]?.toLowerCase() ?? code
  } catch {
    return code
  }
}

// "eng" → "en", "en-US" → "en", "fil" stays "fil" (no 639-1 code), junk → "und".
export function normalizeLanguage(tag: string | null | undefined): string {
  const primary = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0]
  if (!/^[a-z]{2,3}$/.test(primary)) return undetermined
  const code = bibliographicCodes[primary] ?? canonicalCode(primary)
  if (iso6391Codes.has(code)) return code
  return /^[a-z]{3}$/.test(code) && isKnownLanguage(code) ? code : undetermined
}

// A real language without a two-letter code (fil, yue), not "mul", "zxx" or private use.
function isKnownLanguage(code: string): boolean {
  if (['mis', 'mul', 'zxx', 'und'].includes(code)) return false
  try {
    return new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' }).of(code) !== undefined
  } catch {
    return false
  }
}

// The language's own name, as a viewer would look for it in a menu: "English", "Русский".
export function languageName(lang: string): string {
  if (lang === undetermined) return 'Unknown language'
  try {
    const name = new Intl.DisplayNames([lang, 'en'], { type: 'language', fallback: 'none' }).of(lang)
    if (name) return name.charAt(0).toLocaleUpperCase(lang) + name.slice(1)
  } catch {}
  return lang
}
