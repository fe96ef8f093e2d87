// Browsing=members in Chromium (issue 15): someone not signed in who opens a film's page is
// shown the sign-in page in their language, signs in, lands on the film and it plays (the
// player's playlists and segments need the session cookie too).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { signUp } from '../helpers/client'
import { type TestServer, startServer } from '../helpers/server'
import { pressPlay, playedPast } from './player-ui'
import { enqueueSourceFile, isFinished, makeSource, openServerDb, waitForMedia } from '../helpers/transcode'
import { browserTestMs, cspViolations, launchBrowser, openTab, password, saveScreenshot, setupMs, shown } from './browser'

let server: TestServer
let browser: Browser
let clipDir: string
let username: string
let titleId: number

beforeAll(async () => {
  clipDir = mkdtempSync(join(tmpdir(), 'moviepoint-members-'))
  const [started, launched, source] = await Promise.all([
    startServer({ ini: { Browsing: 'members', Workers: 1 } }),
    launchBrowser(),
    makeSource(join(clipDir, 'clip.mp4'), { width: 320, height: 180, durationSec: 4 }),
  ])
  server = started
  browser = launched
  const member = await signUp(server.url)
  username = (await member.get('/api/v1/me')).body.user.username
  const title = await member.post('/api/v1/titles', { kind: 'movie', name: 'Брат 2' })
  titleId = title.body.title.id
  const { db, client } = openServerDb(server)
  const mediaId = await enqueueSourceFile(server, db, { titleId, ownerId: member.userId, sourcePath: source })
  const row = await waitForMedia(db, mediaId, isFinished)
  client.close()
  expect(row.status).toBe('ready')
}, setupMs * 2)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  rmSync(clipDir, { recursive: true, force: true })
})

const languages = [
  { locale: 'en-US', heading: 'Sign in', username: 'Username', password: 'Password', submit: 'Sign in' },
  { locale: 'ru-RU', heading: 'Вход', username: 'Имя пользователя', password: 'Пароль', submit: 'Войти' },
]

describe('a members-only server in the browser', () => {
  for (const language of languages) {
    test(
      `${language.locale}: the film's address shows the sign-in page; after signing in the film plays`,
      async () => {
        const { context, page, problems } = await openTab(browser, server.url, { locale: language.locale })
        try {
          await page.goto(`/titles/${titleId}`)
          expect(new URL(page.url()).pathname).toBe('/login')
          expect(await (await shown(page.getByRole('heading', { level: 1 }))).textContent()).toBe(language.heading)
          expect(await page.locator('media-player').count()).toBe(0)
          await saveScreenshot(page, `members-sign-in-${language.locale}`)
          await page.getByLabel(language.username, { exact: true }).fill(username)
          await page.getByLabel(language.password, { exact: true }).fill(password)
          await page.getByRole('button', { name: language.submit, exact: true }).click()
          await page.waitForURL(url => url.pathname === `/titles/${titleId}`)
          await pressPlay(page, language.locale === 'ru-RU' ? 'ru' : 'en')
          await playedPast(page, 1)
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
