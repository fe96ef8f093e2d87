// Playwright on Debian's Chromium (never a downloaded browser) for the page tests.
// Every page collects console errors, CSP violations and uncaught exceptions, so a
// test can assert that nothing went wrong in the browser.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { type Browser, type BrowserContext, type Locator, type Page, chromium } from 'playwright-core'
import { repoRoot } from '../helpers/server'

export const artifactsDir = join(repoRoot, 'test-artifacts')

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      // Headless has no user gesture: let the tests start playback.
      '--autoplay-policy=no-user-gesture-required',
    ],
  })
}

export type Tab = { context: BrowserContext; page: Page; problems: string[] }

export type TabOptions = {
  locale?: string
  javaScriptEnabled?: boolean
  viewport?: { width: number; height: number }
}

export async function openTab(browser: Browser, baseURL: string, options: TabOptions = {}): Promise<Tab> {
  const context = await browser.newContext({
    baseURL,
    locale: options.locale ?? 'en-US',
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    viewport: options.viewport ?? { width: 1280, height: 900 },
  })
  const page = await context.newPage()
  const problems: string[] = []
  page.on('console', message => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`)
  })
  page.on('pageerror', error => problems.push(`page error: ${error.message}`))
  return { context, page, problems }
}

// Problems other than expected HTTP refusals the test provoked on purpose.
export function unexpectedProblems(problems: string[], allowed: RegExp[] = []): string[] {
  return problems.filter(problem => !allowed.some(pattern => pattern.test(problem)))
}

export function cspViolations(problems: string[]): string[] {
  return problems.filter(problem => /Content Security Policy/i.test(problem))
}

export async function saveScreenshot(page: Page, name: string, options: { fullPage?: boolean } = {}) {
  mkdirSync(artifactsDir, { recursive: true })
  await page.screenshot({ path: join(artifactsDir, `${name}.png`), fullPage: options.fullPage ?? true })
}

let counter = 0
export function uniqueUsername(prefix = 'u'): string {
  counter += 1
  return `${prefix}${Date.now().toString(36)}${counter}`
}

export const password = 'correct horse 1'

export async function registerInBrowser(page: Page, username = uniqueUsername()): Promise<string> {
  await page.goto('/register?lang=en')
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Create the account' }).click()
  await page.getByRole('button', { name: 'Sign out' }).waitFor()
  return username
}

export async function createTitleInBrowser(
  page: Page,
  input: { name: string; kind?: 'Movie' | 'Series'; originalName?: string; year?: string; genres?: string; description?: string },
): Promise<number> {
  await page.goto('/titles/new?lang=en')
  await page.getByLabel(input.kind ?? 'Movie', { exact: true }).check()
  await page.getByLabel('Title', { exact: true }).fill(input.name)
  if (input.originalName) await page.getByLabel('Original title').fill(input.originalName)
  if (input.year) await page.getByLabel('Year').fill(input.year)
  if (input.genres) await page.getByLabel('Genres').fill(input.genres)
  if (input.description) await page.getByLabel('Description').fill(input.description)
  await page.getByRole('button', { name: 'Add to the catalogue' }).click()
  await page.waitForURL(/\/titles\/\d+$/)
  return Number(/\/titles\/(\d+)/.exec(page.url())?.[1])
}

// bun:test has no web-first assertions: wait for the condition, then assert on values.
export async function shown(locator: Locator, timeout = 15_000): Promise<Locator> {
  await locator.first().waitFor({ state: 'visible', timeout })
  return locator
}

export async function textOf(locator: Locator): Promise<string> {
  await shown(locator)
  return ((await locator.first().textContent()) ?? '').trim()
}

// Real browsers, real servers: more than bun's default 5 s per test.
export const browserTestMs = 60_000
export const setupMs = 60_000
