// The admin users page in a real browser, in both languages: an admin disables a user
// (whose session ends at once and whose sign-in is refused), makes a one-time password
// link, and the user opens it in another browser, sets a password and signs in.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Browser, Page } from 'playwright-core'
import { Client, signUp } from '../helpers/client'
import { type TestServer, startServer } from '../helpers/server'
import {
  browserTestMs,
  cspViolations,
  launchBrowser,
  openTab,
  password,
  saveScreenshot,
  setupMs,
  shown,
  textOf,
  uniqueUsername,
} from './browser'

let server: TestServer
let browser: Browser
let adminName: string

beforeAll(async () => {
  ;[server, browser] = await Promise.all([startServer({ admins: '1\n' }), launchBrowser()])
  adminName = uniqueUsername('boss')
  // The first account is user 1, the admins.txt admin.
  await signUp(server.url, adminName)
}, setupMs)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const words = {
  en: {
    username: 'Username',
    password: 'Password',
    signIn: 'Sign in',
    signOut: 'Sign out',
    users: 'Users',
    disabled: 'Disabled',
    active: 'Active',
    disable: (name: string) => `Disable ${name}`,
    enable: (name: string) => `Enable ${name}`,
    passwordLink: (name: string) => `Make a password link for ${name}`,
    copyNow: 'Copy it now: it will not be shown again.',
    accountDisabled: 'This account is disabled. Ask an admin.',
    newPassword: 'New password',
    savePassword: 'Save the password',
    passwordSet: 'Your password is set, and every earlier session of your account is signed out.',
    onlyAdmins: 'Only admins may do this.',
  },
  ru: {
    username: 'Имя пользователя',
    password: 'Пароль',
    signIn: 'Войти',
    signOut: 'Выйти',
    users: 'Пользователи',
    disabled: 'Отключён',
    active: 'Активен',
    disable: (name: string) => `Отключить ${name}`,
    enable: (name: string) => `Включить ${name}`,
    passwordLink: (name: string) => `Ссылка для нового пароля: ${name}`,
    copyNow: 'Скопируйте её сейчас: больше она показана не будет.',
    accountDisabled: 'Эта учётная запись отключена. Обратитесь к администратору.',
    newPassword: 'Новый пароль',
    savePassword: 'Сохранить пароль',
    passwordSet: 'Пароль сохранён; все прежние сеансы вашей учётной записи завершены.',
    onlyAdmins: 'Это могут только администраторы.',
  },
}

async function signInOnPage(page: Page, lang: 'en' | 'ru', username: string, secret: string) {
  const w = words[lang]
  await page.goto(`/login?lang=${lang}`)
  await page.getByLabel(w.username).fill(username)
  await page.getByLabel(w.password, { exact: true }).fill(secret)
  await page.locator('main').getByRole('button', { name: w.signIn }).click()
}

// The admin's session, signed in once through the API (the sign-in page has its own tests).
let adminCookies: { name: string; value: string; url: string }[] | undefined
async function sessionCookies() {
  if (adminCookies) return adminCookies
  const client = new Client(server.url)
  await client.post('/api/v1/auth/login', { username: adminName, password })
  adminCookies = [...client.cookies].map(([name, value]) => ({ name, value, url: server.url }))
  return adminCookies
}

function userRow(page: Page, username: string) {
  return page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: username, exact: true }) })
}

describe('the admin users page', () => {
  for (const lang of ['en', 'ru'] as const) {
    test(
      `${lang}: disables a user, makes a password link the user sets a password with, enables them again`,
      async () => {
        const w = words[lang]
        const victimName = uniqueUsername(`user${lang}`)
        const victim = await signUp(server.url, victimName)
        const admin = await openTab(browser, server.url)
        await admin.context.addCookies(await sessionCookies())
        await admin.page.goto(`/?lang=${lang}`)
        await admin.page.getByRole('navigation').getByRole('link', { name: w.users, exact: true }).click()
        await shown(admin.page.getByRole('heading', { name: w.users, level: 1 }))

        await userRow(admin.page, victimName)
          .getByRole('button', { name: w.disable(victimName) })
          .click()
        expect(await textOf(userRow(admin.page, victimName).getByRole('cell', { name: w.disabled }))).toBe(w.disabled)
        expect((await victim.get('/api/v1/me')).status).toBe(401)

        const person = await openTab(browser, server.url)
        await signInOnPage(person.page, lang, victimName, password)
        expect(await textOf(person.page.getByRole('alert'))).toBe(w.accountDisabled)

        await userRow(admin.page, victimName)
          .getByRole('button', { name: w.passwordLink(victimName) })
          .click()
        const link = await admin.page.getByLabel(w.copyNow).inputValue()
        expect(link).toContain('/password-reset?token=')
        await saveScreenshot(admin.page, `admin-users-${lang}`)

        await person.page.goto(link)
        // The secret left the address bar (and so the history) at once.
        expect(new URL(person.page.url()).search).toBe('')
        await person.page.getByLabel(w.newPassword).fill('brand new words 9')
        await person.page.getByRole('button', { name: w.savePassword }).click()
        expect(await textOf(person.page.getByRole('status'))).toBe(w.passwordSet)

        await admin.page.goto('/admin/users')
        await userRow(admin.page, victimName)
          .getByRole('button', { name: w.enable(victimName) })
          .click()
        expect(await textOf(userRow(admin.page, victimName).getByRole('cell', { name: w.active }))).toBe(w.active)

        await signInOnPage(person.page, lang, victimName, password)
        await shown(person.page.getByRole('alert'))
        await signInOnPage(person.page, lang, victimName, 'brand new words 9')
        await shown(person.page.getByRole('button', { name: w.signOut }))
        // A user who is no admin sees no link to the page and is refused it.
        expect(await person.page.getByRole('link', { name: w.users, exact: true }).count()).toBe(0)
        const refused = await person.page.goto('/admin/users')
        expect(refused?.status()).toBe(403)
        await shown(person.page.getByText(w.onlyAdmins))

        expect(cspViolations([...admin.problems, ...person.problems])).toEqual([])
        await Promise.all([admin.context.close(), person.context.close()])
      },
      browserTestMs,
    )
  }

  test('the link to the users page is in the header only for admins', async () => {
    const plain = await signUp(server.url)
    const anonymous = await (await fetch(`${server.url}/?lang=en`)).text()
    expect(anonymous).not.toContain('href="/admin/users"')
    const asUser = await plain.get('/?lang=en')
    expect(asUser.text).not.toContain('href="/admin/users"')
    const admin = new Client(server.url)
    for (const cookie of await sessionCookies()) admin.cookies.set(cookie.name, cookie.value)
    expect((await admin.get('/?lang=en')).text).toContain('href="/admin/users"')
  })
})
