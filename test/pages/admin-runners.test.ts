// The admin runners page (issue 14): admins only; a registration token is made with a CSRF-
// guarded form and shown once, as the command a runner host runs; tokens are deleted and
// runners revoked from the page; each runner shows when and from where it was last seen and
// its current job. The HTML is read over HTTP, then the page is used in Chromium in both
// languages.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Browser } from 'playwright-core'
import { authenticateRunner, registerRunner } from '../../src/runners/tokens'
import { Client, signUp } from '../helpers/client'
import { type TestServer, startServer } from '../helpers/server'
import { openServerDb } from '../helpers/transcode'
import { browserTestMs, cspViolations, launchBrowser, openTab, password, saveScreenshot, setupMs, shown } from './browser'

let server: TestServer
let browser: Browser
let admin: Client & { userId: number }
let user: Client & { userId: number }
let database: ReturnType<typeof openServerDb>

beforeAll(async () => {
  ;[server, browser] = await Promise.all([startServer({ admins: '1\n' }), launchBrowser()])
  admin = await signUp(server.url)
  user = await signUp(server.url)
  database = openServerDb(server)
}, setupMs)

afterAll(async () => {
  database?.client.close()
  await browser?.close()
  await server?.stop()
})

const form = (fields: Record<string, string>, client: Client) =>
  client.post('/admin/runners/tokens', new URLSearchParams({ _csrf: client.csrfToken ?? '', ...fields }).toString(), {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  })

const commandPattern = (url: string) =>
  new RegExp(`bun run runner --server ${url.replace(/[.:/]/g, '\\$&')} --token (mprr_[A-Za-z0-9_-]+)`)

describe('/admin/runners over HTTP', () => {
  test('admins only: anyone else is sent to sign in or refused', async () => {
    const anonymous = await new Client(server.url).get('/admin/runners')
    expect({ status: anonymous.status, location: anonymous.headers.get('location') }).toEqual({
      status: 303,
      location: '/login?next=%2Fadmin%2Frunners',
    })
    expect((await user.get('/admin/runners')).status).toBe(403)
    expect((await form({ label: 'x' }, user)).status).toBe(403)
    const page = await admin.get('/admin/runners?lang=en')
    expect(page.status).toBe(200)
    expect(page.text).toContain('<h1>Runners</h1>')
    expect(page.text).toContain('href="/admin/runners" aria-current="page"')
  })

  test('the token is shown once, as the command line; the form needs the CSRF token; blank labels are refused', async () => {
    const forged = await admin.post('/admin/runners/tokens', new URLSearchParams({ label: 'forged' }).toString(), {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      sendCsrf: false,
    })
    expect(forged.status).toBe(403)
    const blank = await form({ label: '   ' }, admin)
    expect(blank.status).toBe(400)
    expect(blank.text).toContain('aria-invalid="true"')
    const created = await form({ label: 'encoder <b>1</b>' }, admin)
    expect(created.status).toBe(201)
    const token = commandPattern(server.url).exec(created.text)?.[1] as string
    expect(token).toBeDefined()
    expect(created.text).toContain('encoder &lt;b>1&lt;/b>')
    const again = await admin.get('/admin/runners')
    expect(again.text).toContain('encoder &lt;b>1&lt;/b>')
    expect(again.text).not.toContain(token)
    // The token from the page registers a runner.
    expect(await registerRunner(database.db, { registrationToken: token, name: 'from-page' })).not.toBeNull()
  })

  test('runners show last seen and address; revoking one from the page refuses its token; tokens are deleted', async () => {
    const created = await form({ label: 'rack' }, admin)
    const token = commandPattern(server.url).exec(created.text)?.[1] as string
    const runner = await registerRunner(database.db, { registrationToken: token, name: 'rack-encoder' })
    if (!runner) throw new Error('registration refused')
    await authenticateRunner(database.db, runner.token, '192.0.2.44')
    const page = await admin.get('/admin/runners?lang=en')
    const row = new RegExp(`<tr data-runner-id="${runner.id}">.*?</tr>`, 's').exec(page.text)?.[0] ?? ''
    expect(row).toContain('rack-encoder')
    expect(row).toContain('192.0.2.44')
    expect(row).toContain('Active')
    expect(row).toContain('Idle')
    const revoked = await admin.post(`/admin/runners/${runner.id}/revoke`, `_csrf=${admin.csrfToken}`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect({ status: revoked.status, location: revoked.headers.get('location') }).toEqual({ status: 303, location: '/admin/runners' })
    expect(await authenticateRunner(database.db, runner.token, '192.0.2.44')).toBeNull()
    expect((await admin.get('/admin/runners?lang=en')).text).toMatch(new RegExp(`data-runner-id="${runner.id}">.*?Revoked on`, 's'))
    const [{ id }] = (await admin.get('/api/v1/admin/runner-registration-tokens')).body.items
    const deleted = await admin.post(`/admin/runners/tokens/${id}/delete`, `_csrf=${admin.csrfToken}`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(deleted.status).toBe(303)
    expect((await admin.get('/api/v1/admin/runner-registration-tokens')).body.items.map((item: { id: number }) => item.id)).not.toContain(
      id,
    )
  })
})

const languages = [
  { locale: 'en-US', lang: 'en', heading: 'Runners', label: 'Label', create: 'Create a registration token', revoke: 'Revoke runner' },
  { locale: 'ru-RU', lang: 'ru', heading: 'Раннеры', label: 'Метка', create: 'Создать токен регистрации', revoke: 'Отозвать раннер' },
]

describe('/admin/runners in the browser', () => {
  for (const language of languages) {
    test(
      `${language.locale}: an admin makes a token, copies the command, and revokes a runner`,
      async () => {
        const { context, page, problems } = await openTab(browser, server.url, { locale: language.locale })
        try {
          await page.goto('/login?next=/admin/runners')
          await page.locator('#username').fill((await admin.get('/api/v1/me')).body.user.username)
          await page.locator('#password').fill(password)
          await page.locator('form[action="/login"] button[type="submit"]').click()
          await page.waitForURL(url => url.pathname === '/admin/runners')
          expect(await (await shown(page.getByRole('heading', { level: 1 }))).textContent()).toBe(language.heading)
          await page.getByLabel(language.label, { exact: true }).fill(`machine-${language.lang}`)
          await page.getByRole('button', { name: language.create, exact: true }).click()
          const command = await (await shown(page.locator('#runner-command'))).inputValue()
          const token = commandPattern(server.url).exec(command)?.[1]
          expect(command).toBe(`bun run runner --server ${server.url} --token ${token}`)
          const runner = await registerRunner(database.db, { registrationToken: token as string, name: `host-${language.lang}` })
          await page.goto('/admin/runners')
          const row = page.locator(`tr[data-runner-id="${runner?.id}"]`)
          await row.getByRole('button', { name: `${language.revoke} host-${language.lang}`, exact: true }).click()
          await page.waitForURL(url => url.pathname === '/admin/runners')
          expect(await row.getByRole('button').count()).toBe(0)
          expect(await authenticateRunner(database.db, runner?.token as string, null)).toBeNull()
          await saveScreenshot(page, `admin-runners-${language.locale}`)
          // At a phone's width every button still shows its whole text, and nothing scrolls sideways.
          await page.setViewportSize({ width: 360, height: 800 })
          const clipped = await page
            .locator('main button')
            .evaluateAll(buttons =>
              buttons.filter(button => button.scrollWidth > button.clientWidth + 1).map(button => button.textContent),
            )
          expect(clipped).toEqual([])
          expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
          await saveScreenshot(page, `admin-runners-${language.locale}-360`)
          expect(cspViolations(problems)).toEqual([])
          expect(problems).toEqual([])
        } finally {
          await context.close()
        }
      },
      browserTestMs,
    )
  }
})
