// GET /api/v1/titles: full-text search (Russian as typed), filters, sorts and pages.
// Each group works on its own titles, told apart by a genre only it uses.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { addTitle, expectError } from './helpers/catalogue'
import { type Client, signUp } from './helpers/client'
import { startServer, type TestServer } from './helpers/server'

let server: TestServer
let owner: Client & { userId: number }
let raters: Client[]

type Listed = {
  id: number
  name: string
  year: number | null
  rating: { average: number | null }
  myRating: number | null
}

async function list(query: Record<string, string | number>) {
  const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))
  const answer = await owner.get(`/api/v1/titles?${params}`)
  if (answer.status !== 200) throw new Error(`list failed: ${answer.status} ${answer.text}`)
  return answer.body as { items: Listed[]; page: number; perPage: number; total: number }
}

async function names(query: Record<string, string | number>) {
  return (await list(query)).items.map(item => item.name)
}

beforeAll(async () => {
  server = await startServer()
  owner = await signUp(server.url)
  raters = [await signUp(server.url), await signUp(server.url), await signUp(server.url)]
})
afterAll(() => server.stop())

describe('full-text search', () => {
  beforeAll(async () => {
    const tag = { genres: ['поиск'] }
    await addTitle(owner, { ...tag, name: 'Брат 2', originalName: 'Brother 2', year: 2000 })
    await addTitle(owner, { ...tag, name: 'Елки', year: 2010, description: 'Новогодняя комедия' })
    await addTitle(owner, { ...tag, name: 'Ёжик в тумане', year: 1975 })
    await addTitle(owner, { ...tag, name: 'The Matrix', year: 1999, description: 'Neo learns the truth' })
    await addTitle(owner, { ...tag, name: 'Москва слезам не верит', year: 1979 })
  })

  const finds: [string, string[]][] = [
    ['брат', ['Брат 2']],
    ['Брат', ['Брат 2']],
    ['БРАТ', ['Брат 2']],
    ['бра', ['Брат 2']],
    ['брат 2', ['Брат 2']],
    ['brother', ['Брат 2']],
    ['ёлки', ['Елки']],
    ['елки', ['Елки']],
    ['Ёжик', ['Ёжик в тумане']],
    ['ежик', ['Ёжик в тумане']],
    ['matrix', ['The Matrix']],
    ['MATR', ['The Matrix']],
    ['neo', ['The Matrix']],
    ['новогодняя', ['Елки']],
    ['москва верит', ['Москва слезам не верит']],
    ['  слезам   москва ', ['Москва слезам не верит']],
  ]
  for (const [q, expected] of finds)
    test(`"${q}" finds ${expected.join(', ')}`, async () => {
      expect(await names({ q, genre: 'поиск' })).toEqual(expected)
    })

  test('every word must match', async () => {
    expect(await names({ q: 'москва брат', genre: 'поиск' })).toEqual([])
    expect(await names({ q: 'matrix москва' })).toEqual([])
  })

  test('finds nothing for words nobody wrote', async () => {
    expect(await list({ q: 'несуществующееслово' })).toEqual({ items: [], page: 1, perPage: 20, total: 0 })
  })

  const hostile = [
    '"',
    '""',
    "' AND (",
    '"\' AND (',
    'брат" OR "',
    'NEAR(брат москва)',
    'name:брат',
    '*',
    'брат*',
    '-брат',
    '^брат',
    ')))',
    'AND',
    'OR NOT',
    '{name original_name}: брат',
    "'; DROP TABLE titles; --",
    '\\',
    '%',
    '_',
    '\u0000',
  ]
  test('FTS syntax and SQL typed by a person are plain words: 200, never 500', async () => {
    for (const q of hostile) {
      const answer = await owner.get(`/api/v1/titles?q=${encodeURIComponent(q)}`)
      expect({ q, status: answer.status }).toEqual({ q, status: 200 })
      expect(Array.isArray(answer.body.items)).toBe(true)
    }
    expect(await names({ q: 'брат*', genre: 'поиск' })).toEqual(['Брат 2'])
    expect(await names({ q: 'name:брат', genre: 'поиск' })).toEqual([])
    expect((await list({ genre: 'поиск' })).total).toBe(5)
  })

  test('a query without any word lists everything, like an empty search box', async () => {
    expect((await list({ q: '', genre: 'поиск' })).total).toBe(5)
    expect((await list({ q: '"( )"', genre: 'поиск' })).total).toBe(5)
  })

  test('a query over 200 characters is a 400 naming q', async () => {
    expectError(await owner.get(`/api/v1/titles?q=${'я'.repeat(201)}`), 400, 'invalid_input', 'q')
  })

  test('a new, renamed or deleted title shows in the very next list (no stale results)', async () => {
    const before = (await list({})).total
    expect(await names({ q: 'свежак' })).toEqual([])
    const title = await addTitle(owner, { name: 'Свежак' })
    expect(await list({ q: 'свежак' })).toMatchObject({ total: 1, items: [{ name: 'Свежак' }] })
    expect((await list({})).total).toBe(before + 1)
    await owner.patch(`/api/v1/titles/${title.id}`, { name: 'Переименованный' })
    expect(await names({ q: 'свежак' })).toEqual([])
    expect(await names({ q: 'переименованный' })).toEqual(['Переименованный'])
    await owner.delete(`/api/v1/titles/${title.id}`)
    expect(await names({ q: 'переименованный' })).toEqual([])
    expect((await list({})).total).toBe(before)
  })

  test('renamed titles are found by their new name only', async () => {
    const title = await addTitle(owner, { name: 'Гараж', genres: ['переименование'] })
    await owner.patch(`/api/v1/titles/${title.id}`, { name: 'Берегись автомобиля', description: 'Юрий Деточкин' })
    expect(await names({ q: 'гараж' })).toEqual([])
    expect(await names({ q: 'автомобиля' })).toEqual(['Берегись автомобиля'])
    expect(await names({ q: 'деточкин' })).toEqual(['Берегись автомобиля'])
  })
})

describe('word forms (Snowball stems, Russian and English)', () => {
  beforeAll(async () => {
    const tag = { genres: ['формы'] }
    await addTitle(owner, { ...tag, name: 'Брат', year: 1997 })
    await addTitle(owner, { ...tag, name: 'Улицы разбитых фонарей', kind: 'series' })
    await addTitle(owner, { ...tag, name: 'Run', originalName: 'Беги', year: 2020 })
    await addTitle(owner, { ...tag, name: 'Ёлки 2', description: 'Heroes keep running through the snow' })
    await addTitle(owner, { ...tag, name: 'Gardens', originalName: 'Сады', description: 'О старых садах' })
  })

  const finds: [string, string[]][] = [
    ['брата', ['Брат']],
    ['братом', ['Брат']],
    ['фонари', ['Улицы разбитых фонарей']],
    ['фонарь улица', ['Улицы разбитых фонарей']],
    ['running', ['Run', 'Ёлки 2']],
    ['runs', ['Run', 'Ёлки 2']],
    ['бегите', ['Run']],
    ['ёлкам', ['Ёлки 2']],
    ['елкам', ['Ёлки 2']],
    ['ЁЛКАХ', ['Ёлки 2']],
    ['garden', ['Gardens']],
    ['садом', ['Gardens']],
    ['heroes run', ['Ёлки 2']],
  ]
  for (const [q, expected] of finds)
    test(`"${q}" finds ${expected.join(', ') || 'nothing'}`, async () => {
      expect(await names({ q, genre: 'формы' })).toEqual(expected)
    })

  test('prefixes still match while typing', async () => {
    expect(await names({ q: 'фонар', genre: 'формы' })).toEqual(['Улицы разбитых фонарей'])
    expect(await names({ q: 'разб', genre: 'формы' })).toEqual(['Улицы разбитых фонарей'])
    expect(await names({ q: 'gard', genre: 'формы' })).toEqual(['Gardens'])
  })

  test('a whole title word ranks first, then a title word by form, then the description', async () => {
    const tag = { genres: ['ранжирование-форм'] }
    await addTitle(owner, { ...tag, name: 'Сестра', description: 'Про брата: брат, брату, братом, брата' })
    await addTitle(owner, { ...tag, name: 'Брат' })
    await addTitle(owner, { ...tag, name: 'Ищу брата', description: 'Долгая дорога' })
    await addTitle(owner, { ...tag, name: 'Братом', description: 'брата брата брата' })
    // «брата» is a whole word of only one title's name; «Брат» and «Братом» are its forms,
    // and «Сестра» has it only in the description, however often.
    const ranked = await names({ q: 'брата', genre: 'ранжирование-форм' })
    expect([ranked[0], ranked.slice(1, 3).sort(), ranked[3]]).toEqual(['Ищу брата', ['Брат', 'Братом'], 'Сестра'])
    expect((await names({ q: 'брат', genre: 'ранжирование-форм' }))[0]).toBe('Брат')
    expect((await names({ q: 'брат', genre: 'ранжирование-форм' })).at(-1)).toBe('Сестра')
  })

  test('editing a title replaces the stems it is found by', async () => {
    const title = await addTitle(owner, { name: 'Фонарщик', genres: ['правка-форм'], description: 'Зажигает огни' })
    expect(await names({ q: 'фонарщика', genre: 'правка-форм' })).toEqual(['Фонарщик'])
    expect(await names({ q: 'огнями', genre: 'правка-форм' })).toEqual(['Фонарщик'])
    await owner.patch(`/api/v1/titles/${title.id}`, { name: 'Садовник', description: 'Сажает деревья' })
    expect(await names({ q: 'фонарщика', genre: 'правка-форм' })).toEqual([])
    expect(await names({ q: 'огнями', genre: 'правка-форм' })).toEqual([])
    expect(await names({ q: 'садовника', genre: 'правка-форм' })).toEqual(['Садовник'])
    expect(await names({ q: 'деревьями', genre: 'правка-форм' })).toEqual(['Садовник'])
  })
})

describe('relevance', () => {
  test('a match in the name ranks before a match only in the description, whatever the age', async () => {
    const tag = { genres: ['релевантность'] }
    await addTitle(owner, { ...tag, name: 'Космос как предчувствие', year: 2005 })
    await addTitle(owner, { ...tag, name: 'Солярис', description: 'Психолог летит на станцию в космосе, космос зовёт' })
    await addTitle(owner, { ...tag, name: 'Гагарин', originalName: 'Kosmos', description: 'Первый полёт' })
    expect(await names({ q: 'космос', genre: 'релевантность' })).toEqual(['Космос как предчувствие', 'Солярис'])
    expect(await names({ q: 'kosmos', genre: 'релевантность' })).toEqual(['Гагарин'])
  })

  test('an explicit sort wins over relevance', async () => {
    expect(await names({ q: 'космос', genre: 'релевантность', sort: 'name' })).toEqual(['Космос как предчувствие', 'Солярис'])
    expect(await names({ q: 'космос', genre: 'релевантность', sort: 'added' })).toEqual(['Солярис', 'Космос как предчувствие'])
  })
})

describe('filters', () => {
  beforeAll(async () => {
    await addTitle(owner, { kind: 'movie', name: 'Фильм-драма 1999', year: 1999, genres: ['Драма', 'фильтр'] })
    await addTitle(owner, { kind: 'series', name: 'Сериал-драма 1999', year: 1999, genres: ['драма', 'фильтр'] })
    await addTitle(owner, { kind: 'movie', name: 'Фильм-комедия 2005', year: 2005, genres: ['Comedy', 'фильтр'] })
  })

  test('kind keeps movies or series', async () => {
    expect(await names({ genre: 'фильтр', kind: 'series' })).toEqual(['Сериал-драма 1999'])
    expect((await names({ genre: 'фильтр', kind: 'movie' })).sort()).toEqual(['Фильм-драма 1999', 'Фильм-комедия 2005'])
    expect((await list({ genre: 'фильтр', kind: 'movie', perPage: 1 })).total).toBe(2)
    expect((await list({ q: 'фильм', genre: 'фильтр', perPage: 1 })).total).toBe(2)
  })

  test('genre matches case-insensitively in Cyrillic and Latin', async () => {
    const dramas = ['Сериал-драма 1999', 'Фильм-драма 1999']
    expect((await names({ genre: 'ДРАМА' })).sort()).toEqual(dramas)
    expect((await names({ genre: 'драма' })).sort()).toEqual(dramas)
    expect(await names({ genre: 'comedy' })).toEqual(['Фильм-комедия 2005'])
    expect(await names({ genre: 'COMEDY' })).toEqual(['Фильм-комедия 2005'])
    expect(await names({ genre: 'драм' })).toEqual([])
  })

  test('year keeps one year', async () => {
    expect((await names({ genre: 'фильтр', year: 1999 })).sort()).toEqual(['Сериал-драма 1999', 'Фильм-драма 1999'])
    expect(await names({ genre: 'фильтр', year: 2005 })).toEqual(['Фильм-комедия 2005'])
  })

  test('filters combine with each other and with q', async () => {
    expect(await names({ genre: 'драма', year: 1999, kind: 'movie' })).toEqual(['Фильм-драма 1999'])
    expect(await names({ q: 'сериал', genre: 'Драма' })).toEqual(['Сериал-драма 1999'])
    expect(await names({ q: 'комедия', genre: 'драма' })).toEqual([])
  })

  test('a genre change is reflected in the filter', async () => {
    const title = await addTitle(owner, { name: 'Жанр меняется', genres: ['Вестерн'] })
    await owner.patch(`/api/v1/titles/${title.id}`, { genres: ['Нуар'] })
    expect(await names({ genre: 'вестерн' })).toEqual([])
    expect(await names({ genre: 'нуар' })).toEqual(['Жанр меняется'])
  })

  const invalid: [string, string][] = [
    ['kind=film', 'kind'],
    ['sort=popularity', 'sort'],
    ['year=abc', 'year'],
    ['year=1800', 'year'],
    ['year=1999.5', 'year'],
    ['page=0', 'page'],
    ['page=abc', 'page'],
    ['perPage=0', 'perPage'],
    ['perPage=101', 'perPage'],
    ['perPage=-5', 'perPage'],
  ]
  for (const [query, field] of invalid)
    test(`?${query} is a 400 naming "${field}"`, async () => {
      expectError(await owner.get(`/api/v1/titles?${query}`), 400, 'invalid_input', field)
    })
})

describe('sorts', () => {
  test('added: newest first, the default', async () => {
    for (const name of ['Первый', 'Второй', 'Третий']) await addTitle(owner, { name, genres: ['порядок-добавления'] })
    const newestFirst = ['Третий', 'Второй', 'Первый']
    expect(await names({ genre: 'порядок-добавления' })).toEqual(newestFirst)
    expect(await names({ genre: 'порядок-добавления', sort: 'added' })).toEqual(newestFirst)
  })

  test('rating: best average first, unrated last', async () => {
    const tag = { genres: ['порядок-оценок'] }
    await addTitle(owner, { ...tag, name: 'Без оценок' })
    const good = await addTitle(owner, { ...tag, name: 'Хороший' })
    const best = await addTitle(owner, { ...tag, name: 'Лучший' })
    const poor = await addTitle(owner, { ...tag, name: 'Слабый' })
    await raters[0].put(`/api/v1/titles/${good.id}/rating`, { score: 8 })
    await raters[1].put(`/api/v1/titles/${good.id}/rating`, { score: 7 })
    await raters[0].put(`/api/v1/titles/${best.id}/rating`, { score: 9 })
    await raters[0].put(`/api/v1/titles/${poor.id}/rating`, { score: 2 })
    const sorted = (await list({ genre: 'порядок-оценок', sort: 'rating' })).items
    expect(sorted.map(t => [t.name, t.rating.average])).toEqual([
      ['Лучший', 9],
      ['Хороший', 7.5],
      ['Слабый', 2],
      ['Без оценок', null],
    ])
    // A re-rating moves the title at once: the sort reads the counters kept with each write.
    await raters[0].put(`/api/v1/titles/${poor.id}/rating`, { score: 10 })
    await raters[0].delete(`/api/v1/titles/${best.id}/rating`)
    expect(await names({ genre: 'порядок-оценок', sort: 'rating' })).toEqual(['Слабый', 'Хороший', 'Лучший', 'Без оценок'])
  })

  test('year: newest first, titles without a year last', async () => {
    const tag = { genres: ['порядок-лет'] }
    await addTitle(owner, { ...tag, name: 'Без года' })
    await addTitle(owner, { ...tag, name: 'Старый', year: 1950 })
    await addTitle(owner, { ...tag, name: 'Новый', year: 2020 })
    await addTitle(owner, { ...tag, name: 'Средний', year: 1985 })
    expect(await names({ genre: 'порядок-лет', sort: 'year' })).toEqual(['Новый', 'Средний', 'Старый', 'Без года'])
  })

  test('name: A→Z then А→Я, ignoring case, with Ё among the Е', async () => {
    const shuffled = ['яблоко', 'Ёж', 'Жук', 'apple', 'Дом', 'Banana', 'еда', 'Ель']
    for (const name of shuffled) await addTitle(owner, { name, genres: ['порядок-имён'] })
    expect(await names({ genre: 'порядок-имён', sort: 'name' })).toEqual(['apple', 'Banana', 'Дом', 'еда', 'Ёж', 'Ель', 'Жук', 'яблоко'])
  })
})

describe('pages', () => {
  beforeAll(async () => {
    for (let i = 1; i <= 5; i++) await addTitle(owner, { name: `Страница ${i}`, genres: ['пагинация'] })
  })

  test('splits the list into pages with the total of all matches', async () => {
    const first = await list({ genre: 'пагинация', perPage: 2, page: 1 })
    const second = await list({ genre: 'пагинация', perPage: 2, page: 2 })
    const third = await list({ genre: 'пагинация', perPage: 2, page: 3 })
    expect(first).toMatchObject({ page: 1, perPage: 2, total: 5 })
    expect([...first.items, ...second.items, ...third.items].map(t => t.name)).toEqual([
      'Страница 5',
      'Страница 4',
      'Страница 3',
      'Страница 2',
      'Страница 1',
    ])
    expect(third.items).toHaveLength(1)
  })

  test('a page past the end is empty but keeps the total', async () => {
    expect(await list({ genre: 'пагинация', perPage: 2, page: 4 })).toEqual({
      items: [],
      page: 4,
      perPage: 2,
      total: 5,
    })
    expect(await list({ genre: 'пагинация', page: 1_000_000 })).toEqual({
      items: [],
      page: 1_000_000,
      perPage: 20,
      total: 5,
    })
  })

  test('perPage 1 and 100 are the bounds; the default is 20', async () => {
    expect((await list({ genre: 'пагинация', perPage: 1 })).items).toHaveLength(1)
    expect((await list({ genre: 'пагинация', perPage: 100 })).items).toHaveLength(5)
    expect(await list({ genre: 'пагинация' })).toMatchObject({ page: 1, perPage: 20 })
  })

  test('the list is the same for an anonymous visitor, only myRating differs', async () => {
    const [first] = (await list({ genre: 'пагинация', perPage: 1 })).items
    await owner.put(`/api/v1/titles/${first.id}/rating`, { score: 6 })
    const mine = (await list({ genre: 'пагинация', perPage: 1 })).items[0]
    const theirs = (await (await fetch(`${server.url}/api/v1/titles?genre=${encodeURIComponent('пагинация')}&perPage=1`)).json()).items[0]
    expect(mine.myRating).toBe(6)
    expect(theirs).toEqual({ ...mine, myRating: null })
  })
})
