// Accounts in a real browser: registration, sign-in, sign-out, API tokens, language.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Browser } from 'playwright-core'
import { Client } from '../helpers/client'
import { type TestServer, startServer } from '../helpers/server'
import {
  cspViolations,
  launchBrowser,
  openTab,
  password,
  registerInBrowser,
  saveScreenshot,
  shown,
  textOf,
  uniqueUsername,
  browserTestMs,
  setupMs,
} from './browser'

let server: TestServer
let browser: Browser

beforeAll(async () => {
  ;[server, browser] = await Promise.all([startServer(), launchBrowser()])
}, setupMs)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

describe('accounts in the browser', () => {
  test(
    'registers, signs out and signs in again; a wrong password is said so and the username kept',
    async () => {
      const { page, context, problems } = await openTab(browser, server.url)
      const username = await registerInBrowser(page)
      await shown(page.getByRole('link', { name: username }))
      await page.getByRole('button', { name: 'Sign out' }).click()
      await page.getByRole('link', { name: 'Sign in' }).first().click()
      await saveScreenshot(page, 'sign-in')
      await page.getByLabel('Username').fill(username)
      await page.getByLabel('Password').fill('not the password')
      await page.getByRole('button', { name: 'Sign in' }).click()
      expect(await textOf(page.getByRole('alert'))).toBe('Wrong username or password.')
      expect(await page.getByLabel('Username').inputValue()).toBe(username)
      await page.getByLabel('Password').fill(password)
      await page.getByRole('button', { name: 'Sign in' }).click()
      await shown(page.getByRole('button', { name: 'Sign out' }))
      expect(cspViolations(problems)).toEqual([])
      await context.close()
    },
    browserTestMs,
  )

  test(
    'shows registration errors next to their fields and keeps what was typed',
    async () => {
      const { page, context } = await openTab(browser, server.url)
      const taken = await registerInBrowser(page)
      await page.getByRole('button', { name: 'Sign out' }).click()
      await page.goto('/register')
      await page.getByLabel('Username').fill(taken.toUpperCase())
      await page.getByLabel('Password').fill('short')
      await page.getByRole('button', { name: 'Create the account' }).click()
      await shown(page.getByText('The password needs at least 8 characters.'))
      expect(await page.getByLabel('Username').inputValue()).toBe(taken.toUpperCase())
      await page.getByLabel('Password').fill(password)
      await page.getByRole('button', { name: 'Create the account' }).click()
      await shown(page.getByText('This username is taken.'))
      await saveScreenshot(page, 'register-errors')
      await context.close()
    },
    browserTestMs,
  )

  test(
    'creates an API token shown once, lists it and revokes it',
    async () => {
      const { page, context } = await openTab(browser, server.url)
      const username = await registerInBrowser(page)
      await page.getByRole('link', { name: username }).click()
      await page.getByRole('link', { name: 'API tokens' }).click()
      await page.getByLabel('Name of a new token').fill('backup script')
      await page.getByRole('button', { name: 'Create a token' }).click()
      const token = await page.getByLabel('Copy it now: it will not be shown again.').inputValue()
      expect(token).toMatch(/^mp_/)
      const me = await Client.withToken(server.url, token).get('/api/v1/me')
      expect(me.body.user.username).toBe(username)
      await saveScreenshot(page, 'tokens')
      await page.goto('/account/tokens')
      await shown(page.getByRole('cell', { name: 'backup script' }))
      expect(await page.content()).not.toContain(token)
      await page.getByRole('button', { name: 'Revoke the token “backup script”' }).click()
      await shown(page.getByText('You have no API tokens.'))
      expect((await Client.withToken(server.url, token).get('/api/v1/me')).status).toBe(401)
      await context.close()
    },
    browserTestMs,
  )

  test(
    'speaks the browser’s language, switches to English and back, and remembers the choice',
    async () => {
      const { page, context } = await openTab(browser, server.url, { locale: 'ru-RU' })
      await page.goto('/login')
      await shown(page.getByRole('heading', { name: 'Вход' }))
      await page.getByRole('link', { name: 'English' }).click()
      await shown(page.getByRole('heading', { name: 'Sign in' }))
      await page.goto('/register')
      await shown(page.getByRole('heading', { name: 'Create an account' }))
      await page.getByRole('link', { name: 'Русский' }).click()
      await shown(page.getByRole('heading', { name: 'Регистрация' }))
      expect(await page.locator('html').getAttribute('lang')).toBe('ru')
      await context.close()
    },
    browserTestMs,
  )

  test(
    'signs up and in without JavaScript',
    async () => {
      const { page, context } = await openTab(browser, server.url, { javaScriptEnabled: false })
      const username = uniqueUsername('nojs')
      await page.goto('/register')
      await page.getByLabel('Username').fill(username)
      await page.getByLabel('Password').fill(password)
      await page.getByRole('button', { name: 'Create the account' }).click()
      await page.getByRole('button', { name: 'Sign out' }).click()
      await page.goto('/login')
      await page.getByLabel('Username').fill(username)
      await page.getByLabel('Password').fill(password)
      await page.getByRole('button', { name: 'Sign in' }).click()
      await shown(page.getByRole('link', { name: username }))
      await context.close()
    },
    browserTestMs,
  )

  test(
    'sends signed-out visitors of an account page to sign in, then back',
    async () => {
      const { page, context } = await openTab(browser, server.url)
      const username = await registerInBrowser(page)
      await page.getByRole('button', { name: 'Sign out' }).click()
      await page.goto('/account/tokens')
      await page.getByLabel('Username').fill(username)
      await page.getByLabel('Password').fill(password)
      await page.getByRole('button', { name: 'Sign in' }).click()
      await shown(page.getByRole('heading', { name: 'API tokens' }))
      await context.close()
    },
    browserTestMs,
  )
})
