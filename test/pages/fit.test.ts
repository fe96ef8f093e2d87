// Every select and button shows its whole text on the main pages, at a phone's width
// (360 px) and a laptop's (1366 px), in Russian and English (Russian labels run longer).
// A select's text is clipped when its selected option needs more room than the box has; a
// button's when its content is wider than the button. Screenshots land in test-artifacts/.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Browser, Page } from 'playwright-core'
import { type TestServer, startServer } from '../helpers/server'
import { browserTestMs, launchBrowser, openTab, registerInBrowser, saveScreenshot, setupMs } from './browser'

let server: TestServer
let browser: Browser
const paths: Record<string, string> = { catalogue: '/', 'add form': '/titles/new', account: '/account' }

async function apiPost(page: Page, path: string, data: Record<string, unknown>) {
  const token = (await page.locator('meta[name="csrf-token"]').getAttribute('content')) ?? ''
  const answer = await page.request.post(path, { data, headers: { origin: server.url, 'x-csrf-token': token } })
  expect(answer.status()).toBe(201)
  return answer.json()
}

// The signed-in owner sees the most controls: edit, delete, rate, review, upload.
async function ownerPage(): Promise<Page> {
  const page = (await openTab(browser, server.url)).page
  await registerInBrowser(page)
  const genres = ['Научная фантастика', 'Криминальная драма', 'Documentary']
  const movie = await apiPost(page, '/api/v1/titles', { kind: 'movie', name: 'Улицы разбитых фонарей', genres })
  const series = await apiPost(page, '/api/v1/titles', { kind: 'series', name: 'Бригада', genres })
  const { season } = await apiPost(page, `/api/v1/titles/${series.title.id}/seasons`, { number: 1 })
  await apiPost(page, `/api/v1/seasons/${season.id}/episodes`, { number: 1, name: 'Пилот' })
  Object.assign(paths, { 'movie page': `/titles/${movie.title.id}`, 'series page': `/titles/${series.title.id}` })
  Object.assign(paths, { 'season page': `/seasons/${season.id}` })
  return page
}

type Clipped = { element: string; text: string; needPx: number; hasPx: number }

// Runs in the page: every visible select and button whose text does not fit.
function findClipped(): Clipped[] {
  const clipped: Clipped[] = []
  // The buttons folded away (delete confirmations, the review form) count too.
  for (const details of Array.from(document.querySelectorAll('details'))) details.open = true
  const isVisible = (element: Element) => (element as HTMLElement).offsetParent !== null
  for (const select of Array.from(document.querySelectorAll('select'))) {
    if (!isVisible(select)) continue
    // The same select at its natural width: the room its longest option needs, whichever is chosen.
    const probe = select.cloneNode(true) as HTMLSelectElement
    const text = Array.from(select.options)
      .map(option => option.textContent ?? '')
      .join(' | ')
    probe.removeAttribute('id')
    Object.assign(probe.style, { width: 'auto', minWidth: '0', maxWidth: 'none', position: 'absolute', visibility: 'hidden' })
    select.after(probe)
    const needPx = probe.getBoundingClientRect().width
    probe.remove()
    const hasPx = select.getBoundingClientRect().width
    if (needPx > hasPx + 0.5) clipped.push({ element: `select#${select.id}`, text, needPx, hasPx })
  }
  for (const button of Array.from(document.querySelectorAll('button, a.button, input[type=submit]'))) {
    if (!isVisible(button)) continue
    const { scrollWidth, clientWidth } = button as HTMLElement
    const rect = button.getBoundingClientRect()
    const isOffScreen = rect.right > document.documentElement.clientWidth + 0.5
    if (scrollWidth > clientWidth || isOffScreen)
      clipped.push({
        element: button.tagName.toLowerCase(),
        text: (button.textContent ?? '').trim(),
        needPx: scrollWidth,
        hasPx: clientWidth,
      })
  }
  // Nothing may run past the right edge of the screen (the page would scroll sideways).
  const page = document.documentElement
  if (page.scrollWidth > page.clientWidth) {
    const wide = Array.from(document.querySelectorAll('body *')).filter(
      element => element.getBoundingClientRect().right > page.clientWidth + 0.5,
    )
    const innermost = wide.filter(element => !wide.some(other => other !== element && element.contains(other)))
    for (const element of innermost)
      clipped.push({
        element: `${element.tagName.toLowerCase()}.${element.className} (past the screen's edge)`,
        text: (element.textContent ?? '').trim().slice(0, 60),
        needPx: element.getBoundingClientRect().right,
        hasPx: page.clientWidth,
      })
  }
  return clipped
}

beforeAll(async () => {
  ;[server, browser] = await Promise.all([startServer(), launchBrowser()])
}, setupMs)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

describe('selects and buttons show their whole text', () => {
  let owner: Page
  beforeAll(async () => {
    owner = await ownerPage()
  }, setupMs)

  for (const width of [360, 1366])
    for (const lang of ['ru', 'en'])
      test(
        `at ${width} px in ${lang === 'ru' ? 'Russian' : 'English'}`,
        async () => {
          await owner.setViewportSize({ width, height: 900 })
          const found: Record<string, Clipped[]> = {}
          for (const [name, path] of Object.entries(paths)) {
            await owner.goto(`${path}?lang=${lang}`)
            await saveScreenshot(owner, `fit-${width}-${lang}-${name.replace(' ', '-')}`)
            const clipped = await owner.evaluate(findClipped)
            if (clipped.length > 0) found[name] = clipped
          }
          expect(found).toEqual({})
        },
        browserTestMs,
      )

  test('the header offers to add a film or a series, not only a film', async () => {
    await owner.goto('/?lang=ru')
    const menu = owner.getByRole('navigation', { name: 'Главное меню' })
    expect(await menu.getByRole('link', { name: 'Добавить фильм или сериал' }).getAttribute('href')).toBe('/titles/new')
  })
})
