// Managing one's own account in a real browser: changing the password, signing out
// everywhere else, deleting the account (keeping or deleting the titles), in Russian
// and in English. A second browser context plays the user's other device.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Browser, BrowserContext } from 'playwright-core'
import { addTitle } from '../helpers/catalogue'
import { Client } from '../helpers/client'
import { type TestServer, startServer } from '../helpers/server'
import {
  browserTestMs,
  createTitleInBrowser,
  cspViolations,
  launchBrowser,
  openTab,
  password,
  registerInBrowser,
  saveScreenshot,
  setupMs,
  shown,
  textOf,
} from './browser'

const firefoxOnWindows = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0'

let server: TestServer
let browser: Browser

beforeAll(async () => {
  ;[server, browser] = await Promise.all([startServer(), launchBrowser()])
}, setupMs)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

// The user's other device: a context of its own, signed in through the sign-in form.
async function otherDevice(username: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: server.url, locale: 'en-US', userAgent: firefoxOnWindows })
  const page = await context.newPage()
  await page.goto('/login?lang=en')
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await shown(page.getByRole('button', { name: 'Sign out' }))
  return context
}

async function isSignedOut(context: BrowserContext): Promise<boolean> {
  const page = context.pages()[0]
  await page.goto('/?lang=en')
  return page.getByRole('link', { name: 'Sign in' }).isVisible()
}

async function canSignIn(username: string, secret: string): Promise<boolean> {
  return (await new Client(server.url).post('/api/v1/auth/login', { username, password: secret })).status === 200
}

describe('managing one’s own account in the browser', () => {
  test(
    'the account page shows the user id that admins.txt lists, in English and Russian',
    async () => {
      const { page, context } = await openTab(browser, server.url)
      await registerInBrowser(page)
      const { user } = await (await page.request.get('/api/v1/me')).json()
      await page.goto('/account?lang=en')
      expect(await textOf(page.locator('#user-id'))).toBe(`Your user id: ${user.id}`)
      await shown(page.getByText('A server’s admins are the ids listed in its admins.txt.'))
      await page.goto('/account?lang=ru')
      expect(await textOf(page.locator('#user-id'))).toBe(`Ваш номер пользователя (id): ${user.id}`)
      await context.close()
    },
    browserTestMs,
  )

  test(
    'changes the password (ru): the current one is required, the other device is signed out, this one stays',
    async () => {
      const { page, context, problems } = await openTab(browser, server.url, { locale: 'ru-RU' })
      const username = await registerInBrowser(page)
      const other = await otherDevice(username)
      await page.goto('/account?lang=ru')
      await page.getByLabel('Текущий пароль').fill('не мой пароль')
      await page.getByLabel('Новый пароль').fill('новый пароль 2')
      await page.getByRole('button', { name: 'Сменить пароль' }).click()
      await shown(page.getByText('Это не ваш текущий пароль.'))
      await page.getByLabel('Текущий пароль').fill(password)
      await page.getByLabel('Новый пароль').fill('новый пароль 2')
      await page.getByRole('button', { name: 'Сменить пароль' }).click()
      expect(await textOf(page.getByRole('status'))).toBe('Пароль изменён. Все остальные браузеры вышли из аккаунта.')
      await saveScreenshot(page, 'account-password-ru')
      expect(await isSignedOut(other)).toBe(true)
      // This browser goes on with its rotated session: a form post still passes the CSRF check.
      await page.goto('/account/tokens?lang=ru')
      await page.getByLabel('Название нового токена').fill('после смены пароля')
      await page.getByRole('button', { name: 'Создать токен' }).click()
      await shown(page.getByText('Токен «после смены пароля» создан.'))
      expect(await canSignIn(username, password)).toBe(false)
      expect(await canSignIn(username, 'новый пароль 2')).toBe(true)
      expect(cspViolations(problems)).toEqual([])
      await Promise.all([context.close(), other.close()])
    },
    browserTestMs,
  )

  test(
    'lists where the account is signed in and signs out everywhere else (en)',
    async () => {
      const { page, context } = await openTab(browser, server.url)
      const username = await registerInBrowser(page)
      const other = await otherDevice(username)
      await page.getByRole('link', { name: username }).click()
      const rows = page.getByRole('row')
      await shown(rows.filter({ hasText: 'Firefox on Windows' }))
      expect(await rows.count()).toBe(3)
      expect(await textOf(page.locator('tr[aria-current="true"] td').first())).toBe('Chrome on Linux')
      await shown(page.getByRole('button', { name: 'Sign out Firefox on Windows' }))
      await saveScreenshot(page, 'account-sessions')
      await page.getByRole('button', { name: 'Sign out everywhere else' }).click()
      expect(await textOf(page.getByRole('status'))).toBe('Every other browser was signed out.')
      expect(await page.getByRole('row').count()).toBe(2)
      expect(await isSignedOut(other)).toBe(true)
      expect(await isSignedOut(context)).toBe(false)
      await Promise.all([context.close(), other.close()])
    },
    browserTestMs,
  )

  test(
    'deletes the account and keeps its titles, once the choice is made (en)',
    async () => {
      const { page, context } = await openTab(browser, server.url)
      const username = await registerInBrowser(page)
      const other = await otherDevice(username)
      const titleId = await createTitleInBrowser(page, { name: `Kept ${username}` })
      await page.goto('/account?lang=en')
      await page.getByRole('link', { name: 'Delete my account' }).click()
      await page.getByLabel('Your password, to confirm').fill(password)
      await page.getByRole('button', { name: 'Delete my account' }).click()
      await shown(page.getByText('Choose what happens to your titles.'))
      await page.getByLabel('Keep them in the catalogue').check()
      await page.getByLabel('Your password, to confirm').fill(password)
      await page.getByRole('button', { name: 'Delete my account' }).click()
      await page.waitForURL(url => url.pathname === '/')
      await shown(page.getByRole('link', { name: 'Sign in' }))
      expect(await isSignedOut(other)).toBe(true)
      expect(await canSignIn(username, password)).toBe(false)
      const title = await new Client(server.url).get(`/api/v1/titles/${titleId}`)
      expect(title.body.title).toMatchObject({ name: `Kept ${username}`, ownerId: null })
      await Promise.all([context.close(), other.close()])
    },
    browserTestMs,
  )

  test(
    'deletes the account with its titles (ru)',
    async () => {
      const { page, context } = await openTab(browser, server.url, { locale: 'ru-RU' })
      const username = await registerInBrowser(page)
      const api = new Client(server.url)
      await api.post('/api/v1/auth/login', { username, password })
      const title = await addTitle(api, { name: `Удаляемый ${username}` })
      await page.goto('/account/delete?lang=ru')
      expect(await textOf(page.getByRole('group'))).toContain('Что сделать с 1 добавленным вами фильмом?')
      await page.getByLabel('Удалить вместе с видео').check()
      await page.getByLabel('Ваш пароль для подтверждения').fill('не мой пароль')
      await page.getByRole('button', { name: 'Удалить аккаунт' }).click()
      await shown(page.getByText('Это не ваш текущий пароль.'))
      await page.getByLabel('Удалить вместе с видео').check()
      await page.getByLabel('Ваш пароль для подтверждения').fill(password)
      await page.getByRole('button', { name: 'Удалить аккаунт' }).click()
      await page.waitForURL(url => url.pathname === '/')
      await shown(page.getByRole('link', { name: 'Войти' }))
      await saveScreenshot(page, 'account-deleted-ru')
      expect((await new Client(server.url).get(`/api/v1/titles/${title.id}`)).status).toBe(404)
      expect((await api.get('/api/v1/me')).status).toBe(401)
      await context.close()
    },
    browserTestMs,
  )

  test(
    'over https (__Host- cookies), a page open before a password change elsewhere keeps working with the new token',
    async () => {
      const https = await startServer({ ini: { PublicUrl: 'https://films.example' } })
      try {
        const { page, context, problems } = await openTab(browser, https.url)
        await registerInBrowser(page)
        const names = (await context.cookies()).map(cookie => cookie.name)
        expect(names).toEqual(expect.arrayContaining(['__Host-mp_session', '__Host-csrf']))
        await createTitleInBrowser(page, { name: 'Rated after the change' })
        // Another tab of the same browser changes the password: the session and its CSRF
        // token are replaced, and the title page's own copy of the token is now stale.
        const second = await context.newPage()
        await second.goto('/account?lang=en')
        await second.getByLabel('Current password').fill(password)
        await second.getByLabel('New password').fill('a new password 3')
        await second.getByRole('button', { name: 'Change the password' }).click()
        await shown(second.getByRole('status'))
        const rating = page.locator('#rating')
        await rating.getByRole('radio', { name: '8' }).check()
        await shown(rating.getByText('Your score: 8 (1 to 10)'))
        expect(cspViolations(problems)).toEqual([])
        await context.close()
      } finally {
        await https.stop()
      }
    },
    browserTestMs,
  )
})
