// The interface speaks English (en.json, the reference) and Russian: every message of the
// reference exists in Russian with the plural forms Russian needs and the same
// placeholders, and every error code the server can answer has a message in both.
import { describe, expect, test } from 'bun:test'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { allErrorCodes, errorCodes, isErrorCode } from '../src/http/errors'
import { catalogs, localeFromAcceptLanguage, locales, pickLocale, translator } from '../src/i18n'
import { failureCodes } from '../src/transcoding/failure'
import { repoRoot } from './helpers/server'

const pluralForms = /\.(zero|one|two|few|many|other)$/

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map(m => m[1]).sort()
}

// "review.heading.one" → "review.heading"; plain keys stay as they are.
function baseKey(key: string): string {
  return key.replace(pluralForms, '')
}

// Where the documentation names a code with its status ("409 `username_taken`"). shared/api.md
// is the contract but lives outside the repository: its mentions are copied here (and compared
// with it where it sits beside the checkout); the README's are read.
const apiMdStatuses: Record<string, number> = { username_taken: 409, invalid_credentials: 401 }
const apiMdPath = join(repoRoot, '..', 'shared', 'api.md')

function documentedStatuses(text: string): [string, number][] {
  return [...text.matchAll(/\b([1-5]\d\d)\s+`([a-z_]+)`/g)].map(match => [match[2], Number(match[1])])
}

describe('message catalogs', () => {
  const reference = catalogs.en

  for (const locale of locales.filter(l => l !== 'en')) {
    const catalog = catalogs[locale]
    const rules = new Intl.PluralRules(locale)
    const needed = rules.resolvedOptions().pluralCategories

    test(`${locale} has every message of the reference, plural forms included`, () => {
      const missing: string[] = []
      for (const key of Object.keys(reference)) {
        if (pluralForms.test(key)) {
          for (const form of needed) if (!(`${baseKey(key)}.${form}` in catalog)) missing.push(`${baseKey(key)}.${form}`)
        } else if (!(key in catalog)) missing.push(key)
      }
      expect([...new Set(missing)]).toEqual([])
    })

    test(`${locale} has no message the reference lacks`, () => {
      const referenceBases = new Set(Object.keys(reference).map(baseKey))
      const extra = Object.keys(catalog).filter(key => !referenceBases.has(baseKey(key)))
      expect(extra).toEqual([])
    })

    test(`${locale} messages use the same placeholders as the reference`, () => {
      const different = Object.keys(catalog)
        .filter(key => {
          const english = reference[key] ?? reference[`${baseKey(key)}.other`]
          return english !== undefined && placeholders(english).join() !== placeholders(catalog[key]).join()
        })
        .map(key => `${key}: ${catalog[key]}`)
      expect(different).toEqual([])
    })
  }

  test('no message is empty', () => {
    for (const locale of locales)
      expect(
        Object.entries(catalogs[locale])
          .filter(([, text]) => text.trim() === '')
          .map(([key]) => key),
      ).toEqual([])
  })

  test('every error code the server answers has a message in every language', () => {
    expect(allErrorCodes.length).toBeGreaterThan(20)
    for (const locale of locales) expect(allErrorCodes.filter(code => !(errorCodes[code].messageKey in catalogs[locale]))).toEqual([])
  })

  test('every error.* message is of a code the server answers, or a text of the error page', () => {
    const pageTexts = ['error.heading', 'error.page_not_found', 'error.back_to_catalogue', 'error.generic']
    const messages = new Set<string>([...allErrorCodes.map(code => errorCodes[code].messageKey), ...pageTexts])
    expect(Object.keys(catalogs.en).filter(key => key.startsWith('error.') && !messages.has(key))).toEqual([])
  })

  test('each error code has the status the documentation gives it', () => {
    const documented = [...Object.entries(apiMdStatuses), ...documentedStatuses(readFileSync(join(repoRoot, 'README.md'), 'utf8'))]
    expect(documented.length).toBeGreaterThan(3)
    const disagreeing = documented
      .filter(([code, status]) => !isErrorCode(code) || errorCodes[code].status !== status)
      .map(([code, status]) => `${code}: documented ${status}, registry ${isErrorCode(code) ? errorCodes[code].status : 'none'}`)
    expect(disagreeing).toEqual([])
  })

  test.if(existsSync(apiMdPath))('the copy of api.md’s codes is what api.md names', () => {
    expect(Object.fromEntries(documentedStatuses(readFileSync(apiMdPath, 'utf8')))).toEqual(apiMdStatuses)
  })

  test('every reason a video can fail for has a message in every language', () => {
    for (const locale of locales) expect(failureCodes.filter(code => !(`failure.${code}` in catalogs[locale]))).toEqual([])
  })
})

describe('translation', () => {
  test('picks the Russian plural form by number', () => {
    const t = translator('ru')
    expect([1, 3, 5, 11, 21, 22, 25].map(count => t('rating.count', { count }))).toEqual([
      '1 оценка',
      '3 оценки',
      '5 оценок',
      '11 оценок',
      '21 оценка',
      '22 оценки',
      '25 оценок',
    ])
    expect(translator('en')('rating.count', { count: 1 })).toBe('1 rating')
    expect(translator('en')('rating.count', { count: 2 })).toBe('2 ratings')
  })

  test('fills placeholders and leaves unknown ones visible', () => {
    expect(translator('en')('tokens.created', { name: 'backup' })).toBe('Token “backup” is ready.')
    expect(translator('en')('tokens.created')).toBe('Token “{name}” is ready.')
  })
})

describe('language choice', () => {
  test('reads Accept-Language by quality, then order, skipping unsupported languages', () => {
    expect(localeFromAcceptLanguage('ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7')).toBe('ru')
    expect(localeFromAcceptLanguage('de-DE,de;q=0.9,en;q=0.5,ru;q=0.8')).toBe('ru')
    expect(localeFromAcceptLanguage('fr, en;q=0')).toBeNull()
    expect(localeFromAcceptLanguage('')).toBeNull()
  })

  test('prefers an explicit choice, then the remembered one, then the browser’s, then English', () => {
    expect(pickLocale({ query: 'en', cookie: 'ru', acceptLanguage: 'ru' })).toBe('en')
    expect(pickLocale({ query: 'xx', cookie: 'ru', acceptLanguage: 'en' })).toBe('ru')
    expect(pickLocale({ cookie: 'xx', acceptLanguage: 'ru-RU' })).toBe('ru')
    expect(pickLocale({ acceptLanguage: 'ja' })).toBe('en')
  })
})
