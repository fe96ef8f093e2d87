// i18n/: the web interface's messages, and the English failure sentences the worker stores.
// Messages of the web interface in English (the reference, en.json) and Russian.
// Keys are checked at compile time against en.json; test/i18n.test.ts fails when a
// language lacks a key, a plural form or a placeholder of the reference.
import en from './en.json'
import ru from './ru.json'

export const locales = ['en', 'ru'] as const
export type Locale = (typeof locales)[number]
export const defaultLocale: Locale = 'en'

type Catalog = Record<string, string>
export const catalogs: Record<Locale, Catalog> = { en, ru }

type ReferenceKey = keyof typeof en
// "catalogue.found.one" + "catalogue.found.other" make the plural key "catalogue.found".
type PluralKey = ReferenceKey extends infer K ? (K extends `${infer Base}.other` ? Base : never) : never
export type MessageKey = ReferenceKey | PluralKey
export type MessageVars = Record<string, string | number>
export type Translate = (key: MessageKey, vars?: MessageVars) => string

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value)
}

function interpolate(text: string, vars: MessageVars | undefined): string {
  if (!vars) return text
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole))
}

const pluralRules = Object.fromEntries(locales.map(locale => [locale, new Intl.PluralRules(locale)])) as Record<Locale, Intl.PluralRules>

// The message for a key: with a numeric `count`, the plural form the language needs
// ("1 оценка", "3 оценки", "5 оценок"); a key missing in a language falls back to English.
function lookup(locale: Locale, key: string, vars: MessageVars | undefined): string | undefined {
  const catalog = catalogs[locale]
  if (typeof vars?.count === 'number') {
    const form = catalog[`${key}.${pluralRules[locale].select(vars.count)}`] ?? catalog[`${key}.other`]
    if (form !== undefined) return form
  }
  return catalog[key]
}

export function translator(locale: Locale): Translate {
  return (key, vars) => interpolate(lookup(locale, key, vars) ?? lookup(defaultLocale, key, vars) ?? key, vars)
}

// Keys come from validators (known) or from server error codes ("error.<code>"), which
// may have no message of their own: those read as the generic error.
export function messageOf(t: Translate, key: string): string {
  const text = t(key as MessageKey)
  return text === key ? t('error.generic') : text
}

// A server error code (AppError.code, shared with the API) as a sentence for people.
export function errorMessage(t: Translate, code: string): string {
  return messageOf(t, `error.${code}`)
}

// "ru-RU,ru;q=0.9,en;q=0.8" → the best supported language, by quality then order.
export function localeFromAcceptLanguage(header: string | null | undefined): Locale | null {
  if (!header) return null
  const ranked = header
    .split(',')
    .map((part, order) => {
      const [tag, ...params] = part.trim().split(';')
      const q = params.map(p => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean)
      return { language: tag.trim().toLowerCase().split('-')[0], quality: q === undefined ? 1 : Number(q), order }
    })
    .filter(entry => entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.order - b.order)
  return ranked.map(entry => entry.language).find(isLocale) ?? null
}

// An explicit choice (?lang=) wins, then the remembered one (cookie), then the browser's.
export function pickLocale(sources: { query?: unknown; cookie?: unknown; acceptLanguage?: string | null }): Locale {
  if (isLocale(sources.query)) return sources.query
  if (isLocale(sources.cookie)) return sources.cookie
  return localeFromAcceptLanguage(sources.acceptLanguage) ?? defaultLocale
}
