// Whatever a client sends, the answer is never a 500 or a stack trace. The endpoints
// come from the served OpenAPI document, so a new endpoint is covered as soon as it exists.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { type Client, signUp } from './helpers/client'
import { startServer, type TestServer } from './helpers/server'

let server: TestServer
let client: Client

beforeAll(async () => {
  server = await startServer()
  client = await signUp(server.url)
  // Something real to aim at, so some requests get past the 404s.
  await client.post('/api/v1/titles', { kind: 'series', name: 'Брат' })
})
afterAll(() => server.stop())

const weirdIds = ['1', 'abc', '-1', '0', '1.5', '1e3', '99999999999999999999', '%00', '%2e%2e', '..%2f..%2fetc%2fpasswd']

function weirdBodies(properties: string[]): string[] {
  const values = ['123', '"x"', 'null', '[]', '{}', 'true', '-1', '1e309', `"${'я'.repeat(20_000)}"`, '"<script>alert(1)</script>"']
  return ['{', '[]', 'null', '"text"', '{"__proto__": {"isAdmin": true}}', ...properties.flatMap(p => values.map(v => `{"${p}": ${v}}`))]
}

type Operation = { requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> } }

test('never answers 500, whatever ids and bodies are sent', async () => {
  const document = await (await fetch(`${server.url}/api/v1/openapi.json`)).json()
  const failures: string[] = []
  let requests = 0
  for (const [template, operations] of Object.entries(document.paths as Record<string, Record<string, Operation>>)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (template.endsWith('/events') || template === '/api/v1/auth/logout') continue
      const schema = operation.requestBody?.content?.['application/json']?.schema
      const bodies = schema ? weirdBodies(Object.keys(schema.properties ?? {})) : [undefined]
      for (const id of weirdIds) {
        const path = template.replace(/\{[^}]+\}/g, id)
        for (const body of bodies) {
          requests += 1
          const answer = await client.request(method.toUpperCase(), path, {
            body,
            headers: body === undefined ? {} : { 'content-type': 'application/json' },
          })
          if (answer.status >= 500 || /\bat .*\.(ts|js):\d+/.test(answer.text))
            failures.push(`${method.toUpperCase()} ${path} ${body?.slice(0, 40)} → ${answer.status} ${answer.text.slice(0, 120)}`)
        }
      }
    }
  }
  expect(requests).toBeGreaterThan(500)
  expect(failures).toEqual([])
}, 300_000)
