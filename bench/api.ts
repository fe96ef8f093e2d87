// bun bench/api.ts — the JSON API under load.
// Seeds 10,000 titles (Russian and English names) and 100,000 reviews and ratings into a
// fresh embedded database, starts the real server, then measures requests/s and p50/p99
// latency with wrk (a second process, on loopback) for: the title list, a Cyrillic
// search, a title with its reviews, and login. Goal on 2 cores: search p99 < 20 ms.
// Sizes: BENCH_TITLES, BENCH_REVIEWS; load: BENCH_SECONDS, BENCH_CONNECTIONS.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServer, writeIni } from '../test/helpers/server'
import { benchPassword as password, seedCatalogue } from './seed'
import { getPathsScript as getScript, requireWrk, runWrk, type WrkResult } from './wrk'

const titleCount = Number(process.env.BENCH_TITLES ?? 10_000)
const reviewCount = Number(process.env.BENCH_REVIEWS ?? 100_000)
const seconds = Number(process.env.BENCH_SECONDS ?? 10)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16)
const userCount = 1_000

type Result = WrkResult & { name: string }

function loginScript(url: string): string {
  const bodies = Array.from({ length: 50 }, (_, i) => JSON.stringify({ username: `bench${i}`, password }))
  return `local bodies = {${bodies.map(b => `[[${b}]]`).join(',')}}
local i = 0
request = function()
  i = i + 1
  return wrk.format("POST", "/api/v1/auth/login", {["content-type"] = "application/json", ["origin"] = "${url}"}, bodies[(i % #bodies) + 1])
end`
}

async function main() {
  requireWrk()
  const dir = mkdtempSync(join(tmpdir(), 'moviepoint-bench-api-'))
  const iniPath = writeIni(dir)
  const seedStart = performance.now()
  await seedCatalogue(iniPath, { titles: titleCount, reviews: reviewCount, users: userCount })
  console.log(
    `seeded ${titleCount} titles, ${reviewCount} reviews and ratings in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
  )
  const server = await startServer({ dir })
  try {
    const ids = Array.from({ length: 200 }, (_, i) => 1 + ((i * 47) % titleCount))
    // As typed, prefixes, and other word forms than the titles use (found by their stems).
    const searches = [
      'брат',
      'Ёлки',
      'зима город',
      'сестр',
      'BROTHER',
      'небо',
      'братом',
      'сестры',
      'городами',
      'brothers',
      'dreaming',
    ].map(q => `/api/v1/titles?q=${encodeURIComponent(q)}`)
    const scenarios: [string, string][] = [
      ['title list (page 1, 20)', getScript(['/api/v1/titles?page=1&perPage=20', '/api/v1/titles?page=3&perPage=20&sort=rating'])],
      ['Cyrillic search', getScript(searches)],
      ['title + its reviews', getScript(ids.flatMap(id => [`/api/v1/titles/${id}`, `/api/v1/titles/${id}/reviews`]))],
      ['login (argon2id)', loginScript(server.url)],
    ]
    // Warm up the caches once.
    for (const path of ['/api/v1/titles', searches[0], `/api/v1/titles/1/reviews`]) await fetch(server.url + path)
    const results: Result[] = []
    for (const [name, script] of scenarios)
      results.push({ name, ...(await runWrk({ name, url: server.url, script, dir, seconds, connections })) })
    console.log(`\nwrk: ${connections} connections, ${seconds} s each, loopback, ${navigator.hardwareConcurrency} cores`)
    console.log('scenario                      req/s     p50 ms   p99 ms   errors')
    for (const r of results)
      console.log(
        `${r.name.padEnd(28)} ${r.rps.toFixed(0).padStart(7)}  ${r.p50Ms.toFixed(2).padStart(8)} ${r.p99Ms.toFixed(2).padStart(8)}   ${r.errors}`,
      )
    const search = results[1]
    console.log(`\nsearch p99 ${search.p99Ms.toFixed(2)} ms (goal < 20 ms): ${search.p99Ms < 20 ? 'met' : 'NOT met'}`)
  } finally {
    await server.stop()
  }
}

await main()
