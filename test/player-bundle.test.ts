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

  test('goes out gzipped to a browser that accepts it', async () => {
    const url = `${server.url}${bundleUrl('player.js')}`
    const plain = await fetch(url, { headers: { 'accept-encoding': 'identity' }, decompress: false })
    const gzipped = await fetch(url, { headers: { 'accept-encoding': 'gzip, deflate' }, decompress: false })
    expect(plain.headers.get('content-encoding')).toBeNull()
    expect(gzipped.headers.get('content-encoding')).toBe('gzip')
    expect(gzipped.headers.get('vary')).toBe('accept-encoding')
    const [plainText, packed] = await Promise.all([plain.text(), gzipped.arrayBuffer()])
    expect(packed.byteLength).toBeLessThan(plainText.length / 2)
    expect(new TextDecoder().decode(Bun.gunzipSync(new Uint8Array(packed)))).toBe(plainText)
  })

  test('only registered files are bundled', async () => {
    for (const path of ['/assets/bundle/1/app.js', '/assets/bundle/1/trim.js', '/assets/bundle/1/..%2Fpackage.json'])
      expect((await fetch(`${server.url}${path}`)).status).toBe(404)
  })

  test("pages allow no inline style: style-src is 'self' alone", async () => {
    const csp = (await fetch(`${server.url}/`)).headers.get('content-security-policy') ?? ''
    expect(csp.split(';').map(d => d.trim())).toContain("style-src 'self'")
  })
})
