// The player script: web/player.js bundled by the server with vidstack and hls.js, served
// from MoviePoint itself under a strict CSP (no inline styles).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { bundleUrl } from '../src/http/assets'
import '../src/pages/assets'
import { type TestServer, startServer } from './helpers/server'

let server: TestServer

beforeAll(async () => {
  server = await startServer()
}, 30_000)

afterAll(() => server?.stop())

describe('the player bundle', () => {
  test('is one script with vidstack and hls.js in it, with none of the style attributes the CSP would refuse', async () => {
    const url = bundleUrl('player.js')
    expect(url).toMatch(/^\/assets\/bundle\/[\w.-]+\/player\.js$/)
    const answer = await fetch(`${server.url}${url}`)
    expect(answer.status).toBe(200)
    expect(answer.headers.get('content-type')).toContain('text/javascript')
    expect(answer.headers.get('cache-control')).toContain('immutable')
    const text = await answer.text()
    expect(text).toContain('media-video-layout')
    expect(text).toContain('hlsjs')
    expect(text).not.toContain('style="pointer-events: none;"')
    expect(text).not.toContain('style="max-width: unset;"')
  }, 30_000)

  test('only registered files are bundled', async () => {
    for (const path of ['/assets/bundle/1/app.js', '/assets/bundle/1/trim.js', '/assets/bundle/1/..%2Fpackage.json'])
      expect((await fetch(`${server.url}${path}`)).status).toBe(404)
  })

  test("pages allow no inline style: style-src is 'self' alone", async () => {
    const csp = (await fetch(`${server.url}/`)).headers.get('content-security-policy') ?? ''
    expect(csp.split(';').map(d => d.trim())).toContain("style-src 'self'")
  })
})
