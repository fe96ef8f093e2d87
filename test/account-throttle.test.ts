// Throttles that stop an attacker without locking out the victim (issue 11). Each test
// drives a real server from several client addresses: Linux loopback accepts any 127.x.y.z
// as a source, or, behind a trusted proxy, the addresses the proxy names in X-Forwarded-For.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { SlidingWindow, signInDelayMs, throttleLimits } from '../src/auth/throttle'
import { clientAddress } from '../src/http/client-address'
import { addressBucket, isInRanges, normalizeIp, parseIpRange } from '../src/config/ip-address'
import { uniqueName } from './helpers/client'
import { type FromAnswer, requestFrom } from './helpers/from-address'
import { startServer, type TestServer } from './helpers/server'

const password = 'correct horse 1'
const maxSignUpsPerHour = 3
const perUserAddress = throttleLimits.signInFailuresPerUserAddress.max
const perAddress = throttleLimits.signInFailuresPerAddress.max
const maxFailedCredentials = throttleLimits.failedCredentialsPerAddress.max
const longestDelayMs = throttleLimits.signInDelay.maxDelayMs

// Sign-ins wait out their delays (up to 2 s each) and argon2 runs for every one.
setDefaultTimeout(30_000)

let direct: TestServer
let proxied: TestServer

beforeAll(async () => {
  ;[direct, proxied] = await Promise.all([
    startServer({ ini: { MaxSignUpsPerHour: maxSignUpsPerHour } }),
    // The server trusts 127.0.0.1 as its reverse proxy; other loopback addresses are clients.
    startServer({ ini: { MaxSignUpsPerHour: maxSignUpsPerHour, PublicUrl: 'http://movies.example', TrustedProxies: '127.0.0.1' } }),
  ])
})
afterAll(() => Promise.all([direct.stop(), proxied.stop()]))

// Each test uses its own addresses, so budgets spent by one never reach another.
let nextSubnet = 10
function addresses() {
  nextSubnet += 1
  return (host: number) => `127.0.${nextSubnet}.${host}`
}

const login = (server: TestServer, from: string, username: string, pass: string, headers?: Record<string, string>) =>
  requestFrom(from, `${server.url}/api/v1/auth/login`, { method: 'POST', body: { username, password: pass }, headers })

async function register(server: TestServer, from: string, username = uniqueName('v')): Promise<string> {
  const answer = await requestFrom(from, `${server.url}/api/v1/auth/register`, { method: 'POST', body: { username, password } })
  if (answer.status !== 201) throw new Error(`register failed: ${answer.status} ${answer.text}`)
  return username
}

function expectThrottled(answer: FromAnswer) {
  expect(answer.status).toBe(429)
  const retryAfter = Number(answer.headers['retry-after'])
  expect(retryAfter).toBeGreaterThan(0)
  return retryAfter
}

function expectThrottledJson(answer: FromAnswer) {
  expectThrottled(answer)
  expect(answer.headers['content-type']).toMatch(/application\/json/)
  expect(answer.body.error.code).toBe('too_many_attempts')
  expect(answer.body.error.message).toBeString()
}

const randomSecret = () => crypto.randomUUID().replaceAll('-', '')

describe('signing in from two addresses', () => {
  test("an attacker's failures on a username never keep its owner, at another address, out", async () => {
    const at = addresses()
    const [victimHome, attacker] = [at(1), at(2)]
    const victim = await register(direct, victimHome)
    const attempts: number[] = []
    for (let i = 0; i < perUserAddress + 5; i++) attempts.push((await login(direct, attacker, victim, `guess ${i}xxxx`)).status)
    expect(attempts).toEqual([...Array(perUserAddress).fill(401), ...Array(5).fill(429)])
    // The attacker's address is refused even the right password for this username now.
    expectThrottledJson(await login(direct, attacker, victim, password))

    for (let round = 0; round < 3; round++) {
      const own = await login(direct, victimHome, victim, password)
      expect(own.status).toBe(200)
      expect(own.ms).toBeLessThan(longestDelayMs + 3000)
      // The attacker goes on meanwhile, and gets nothing but 429.
      expectThrottled(await login(direct, attacker, victim, `more ${round}xxxx`))
    }
    const page = await requestFrom(victimHome, `${direct.url}/login`, { method: 'POST', form: { username: victim, password } })
    expect(page.status).toBe(303)
  })

  test('an address is refused per username after 5 failures and for any username after 20', async () => {
    const at = addresses()
    const [attacker, other] = [at(1), at(2)]
    const target = await register(direct, at(3))
    const statuses: number[] = []
    for (let i = 0; i <= perUserAddress; i++) statuses.push((await login(direct, attacker, target, `nope ${i}xxxx`)).status)
    expect(statuses).toEqual([...Array(perUserAddress).fill(401), 429])
    // Another address still gets an answer for the same username.
    expect((await login(direct, other, target, 'wrong from elsewhere')).status).toBe(401)

    // Failures on other (unknown) usernames, four each, until the address as a whole is refused.
    let failures = perUserAddress
    while (failures < perAddress) {
      const name = uniqueName('nobody')
      for (let i = 0; i < perUserAddress - 1 && failures < perAddress; i++, failures++)
        expect((await login(direct, attacker, name, `x${i}xxxxxxx`)).status).toBe(401)
    }
    const fresh = uniqueName('fresh')
    expectThrottledJson(await login(direct, attacker, fresh, 'anything at all'))
    expect((await login(direct, other, fresh, 'anything at all')).status).toBe(401)
  })

  test('guesses spread over many addresses only slow a username down; each address may have 3 waiting', async () => {
    const at = addresses()
    const target = await register(direct, at(1))
    // Six failures from three addresses: the username's answers now wait the longest delay.
    for (const host of [2, 3, 4])
      for (let i = 0; i < 2; i++) expect((await login(direct, at(host), target, `g${i}xxxxxxx`)).status).toBe(401)
    expect(signInDelayMs(6)).toBe(longestDelayMs)

    // Right and wrong answers take equally long, so the time tells nothing before the verdict.
    const [right, wrong] = await Promise.all([login(direct, at(5), target, password), login(direct, at(6), target, 'wrong again')])
    expect([right.status, wrong.status]).toEqual([200, 401])
    for (const answer of [right, wrong]) {
      expect(answer.ms).toBeGreaterThanOrEqual(longestDelayMs - 50)
      expect(answer.ms).toBeLessThan(longestDelayMs + 3000)
    }

    // One address cannot hold more than three attempts open at once.
    const parallel = await Promise.all(Array.from({ length: 7 }, (_, i) => login(direct, at(7), target, `p${i}xxxxxxx`)))
    const statuses = parallel.map(a => a.status).sort()
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429, 429])
    for (const refused of parallel.filter(a => a.status === 429)) expect(refused.ms).toBeLessThan(longestDelayMs)
  })
  test('a client that hangs up before a slow answer still has its failure counted', async () => {
    const at = addresses()
    const [attacker, owner] = [at(1), at(2)]
    const target = await register(direct, owner)
    // Three failures cost nothing; from then on answers for this username wait.
    for (let i = 0; i < 3; i++) expect((await login(direct, attacker, target, `g${i}xxxxxxx`)).status).toBe(401)
    const hungUp = await Promise.all(
      [0, 1].map(i =>
        requestFrom(attacker, `${direct.url}/api/v1/auth/login`, {
          method: 'POST',
          body: { username: target, password: `h${i}xxxxxxx` },
          hangUpAfterMs: 100,
        }),
      ),
    )
    expect(hungUp.map(a => a.status)).toEqual([0, 0])
    await Bun.sleep(signInDelayMs(4) + 500)
    // Five failures for this username from this address, even the right password is refused now;
    // its owner, elsewhere, signs in.
    expectThrottled(await login(direct, attacker, target, password))
    expect((await login(direct, owner, target, password)).status).toBe(200)
  })
})

describe('unknown API tokens and session cookies', () => {
  test('random bearer tokens get 429 past the limit, for the sending address only', async () => {
    const at = addresses()
    const statuses: number[] = []
    for (let i = 0; i < maxFailedCredentials + 10; i++)
      statuses.push(
        (await requestFrom(at(1), `${direct.url}/api/v1/me`, { headers: { authorization: `Bearer ${randomSecret()}` } })).status,
      )
    expect(statuses).toEqual([...Array(maxFailedCredentials).fill(401), ...Array(10).fill(429)])
    expectThrottledJson(await requestFrom(at(1), `${direct.url}/api/v1/me`, { headers: { authorization: `Bearer ${randomSecret()}` } }))
    // The same address without a credential is served; another address is not throttled.
    expect((await requestFrom(at(1), `${direct.url}/api/v1/titles`)).status).toBe(200)
    expect((await requestFrom(at(2), `${direct.url}/api/v1/me`, { headers: { authorization: `Bearer ${randomSecret()}` } })).status).toBe(
      401,
    )
    // A script retrying one revoked token is told 401, not throttled: it is not guessing.
    for (let i = 0; i < maxFailedCredentials + 5; i++)
      expect((await requestFrom(at(3), `${direct.url}/api/v1/me`, { headers: { authorization: 'Bearer revoked-token' } })).status).toBe(
        401,
      )
  })

  test('random session cookies get 429 past the limit; one stale cookie never does', async () => {
    const at = addresses()
    const cookieOf = (token: string) => ({ cookie: `mp_session=${token}` })
    const statuses: number[] = []
    for (let i = 0; i < maxFailedCredentials + 10; i++)
      statuses.push((await requestFrom(at(1), `${direct.url}/`, { headers: cookieOf(randomSecret()) })).status)
    expect(statuses).toEqual([...Array(maxFailedCredentials).fill(200), ...Array(10).fill(429)])
    const refusedPage = await requestFrom(at(1), `${direct.url}/`, { headers: cookieOf(randomSecret()) })
    expectThrottled(refusedPage)
    expect(refusedPage.headers['content-type']).toMatch(/text\/html/)
    expectThrottledJson(await requestFrom(at(1), `${direct.url}/api/v1/me`, { headers: cookieOf(randomSecret()) }))

    // A browser at another address resends its one stale cookie with every page and script.
    const stale = randomSecret()
    for (let i = 0; i < maxFailedCredentials + 10; i++) {
      const answer = await requestFrom(at(2), `${direct.url}/`, { headers: cookieOf(stale) })
      expect(answer.status).toBe(200)
      expect(String(answer.headers['set-cookie'])).toMatch(/mp_session=;.*Max-Age=0/i)
    }
    expect((await requestFrom(at(2), `${direct.url}/api/v1/me`, { headers: cookieOf(stale) })).status).toBe(401)
  })
})

describe('sign-ups per address', () => {
  test(`MaxSignUpsPerHour (${maxSignUpsPerHour}) accounts per address, the API and the page together`, async () => {
    const at = addresses()
    const api = (from: string) =>
      requestFrom(from, `${direct.url}/api/v1/auth/register`, { method: 'POST', body: { username: uniqueName('s'), password } })
    const page = (from: string) =>
      requestFrom(from, `${direct.url}/register`, { method: 'POST', form: { username: uniqueName('s'), password } })
    expect((await api(at(1))).status).toBe(201)
    expect((await page(at(1))).status).toBe(303)
    expect((await api(at(1))).status).toBe(201)
    expectThrottledJson(await api(at(1)))
    const refusedPage = await page(at(1))
    expectThrottled(refusedPage)
    expect(refusedPage.headers['content-type']).toMatch(/text\/html/)
    expect((await api(at(2))).status).toBe(201)
    expect((await page(at(2))).status).toBe(303)
  })
})

describe('behind a reverse proxy (PublicUrl and TrustedProxies=127.0.0.1)', () => {
  const proxy = '127.0.0.1'
  const via = (client: string) => ({ 'x-forwarded-for': client })

  test('the address the proxy names is the client: one is throttled, the other signs in', async () => {
    const victim = await register(proxied, proxy)
    const attempts: number[] = []
    for (let i = 0; i <= perUserAddress; i++)
      attempts.push((await login(proxied, proxy, victim, `guess ${i}xxxx`, via('203.0.113.7'))).status)
    expect(attempts).toEqual([...Array(perUserAddress).fill(401), 429])
    expect((await login(proxied, proxy, victim, password, via('203.0.113.8'))).status).toBe(200)
    // Proxies of its own in front of the trusted one are walked past from the right.
    expectThrottled(await login(proxied, proxy, victim, password, via('198.51.100.1, 203.0.113.7')))

    // Sign-ups are counted per named client too (RFC 7239 Forwarded works as well).
    const signUp = (headers: Record<string, string>) =>
      requestFrom(proxy, `${proxied.url}/api/v1/auth/register`, {
        method: 'POST',
        body: { username: uniqueName('p'), password },
        headers,
      })
    for (let i = 0; i < maxSignUpsPerHour; i++) expect((await signUp(via('203.0.113.20'))).status).toBe(201)
    expectThrottledJson(await signUp({ forwarded: 'for=203.0.113.20;proto=https' }))
    expect((await signUp({ forwarded: 'for="[2001:db8::20]:4711"' })).status).toBe(201)
  })

  test('a header from a client that is not a trusted proxy is ignored: spoofing it dodges nothing', async () => {
    const at = addresses()
    const victim = await register(proxied, at(1))
    const attempts: number[] = []
    for (let i = 0; i <= perUserAddress; i++)
      attempts.push((await login(proxied, at(2), victim, `guess ${i}xxxx`, via(`198.51.100.${i + 1}`))).status)
    expect(attempts).toEqual([...Array(perUserAddress).fill(401), 429])
    expect((await login(proxied, at(1), victim, password)).status).toBe(200)

    const tokens: number[] = []
    for (let i = 0; i < maxFailedCredentials + 1; i++)
      tokens.push(
        (
          await requestFrom(at(3), `${proxied.url}/api/v1/me`, {
            headers: { authorization: `Bearer ${randomSecret()}`, ...via(`198.51.100.${i}`) },
          })
        ).status,
      )
    expect(tokens).toEqual([...Array(maxFailedCredentials).fill(401), 429])
  })

  test('without TrustedProxies the header is ignored even from 127.0.0.1', async () => {
    const at = addresses()
    const signUps: number[] = []
    for (let i = 0; i <= maxSignUpsPerHour; i++)
      signUps.push(
        (
          await requestFrom(at(1), `${direct.url}/api/v1/auth/register`, {
            method: 'POST',
            body: { username: uniqueName('d'), password },
            headers: via(`198.51.100.${i}`),
          })
        ).status,
      )
    expect(signUps).toEqual([...Array(maxSignUpsPerHour).fill(201), 429])
  })
})

describe('counters', () => {
  test('keep at most maxKeys keys (the least recently used goes) and count a repeated id once', () => {
    const window = new SlidingWindow({ max: 3, windowMs: 60_000 }, 2)
    window.record('a', 1_000)
    window.record('b', 1_000)
    window.record('a', 1_001)
    window.record('c', 1_002)
    expect([window.count('a', 2_000), window.count('b', 2_000), window.count('c', 2_000)]).toEqual([2, 0, 1])
    for (let i = 0; i < 10; i++) window.record('c', 1_010, 'same secret')
    expect(window.count('c', 2_000)).toBe(2)
    for (let i = 0; i < 10; i++) window.record('c', 1_020 + i)
    expect(window.count('c', 2_000)).toBe(3)
    expect(window.retryAfterSec('c', 2_000)).toBe(60)
  })
})

describe('client addresses', () => {
  const trust = { publicUrl: 'https://movies.example', trustedProxies: ['10.0.0.0/8', '::1'].map(r => parseIpRange(r)!) }
  const from = (peer: string, headers: Record<string, string> = {}) =>
    clientAddress(
      { requestIP: () => ({ address: peer, family: 'IPv6', port: 1 }) } as never,
      new Request('http://x/', { headers }),
      trust,
    )

  test('IPv4-mapped IPv6 is IPv4, IPv6 is canonical, and a throttle counts an IPv6 /64 as one client', () => {
    expect(normalizeIp('::ffff:127.0.0.2')).toBe('127.0.0.2')
    expect(normalizeIp('::FFFF:7f00:2')).toBe('127.0.0.2')
    expect(normalizeIp('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1')
    expect(normalizeIp('2001:db8::1:0:0:1')).toBe('2001:db8::1:0:0:1')
    expect(normalizeIp('999.1.1.1')).toBeNull()
    expect(normalizeIp('1::2::3')).toBeNull()
    expect(addressBucket('2001:db8:1:2:aaaa::5')).toBe('2001:db8:1:2::/64')
    expect(addressBucket('192.0.2.1')).toBe('192.0.2.1')
    expect(isInRanges('::ffff:10.1.2.3', [parseIpRange('10.0.0.0/8')!])).toBe(true)
    expect(isInRanges('11.0.0.1', [parseIpRange('10.0.0.0/8')!])).toBe(false)
    expect(parseIpRange('10.0.0.0/33')).toBeNull()
  })

  test('the header is read from the right, past trusted proxies; anything unreadable leaves the proxy as the client', () => {
    expect(from('::ffff:10.0.0.5')).toBe('10.0.0.5')
    expect(from('10.0.0.5', { 'x-forwarded-for': '1.1.1.1, 192.0.2.9, 10.0.0.7' })).toBe('192.0.2.9')
    expect(from('::1', { forwarded: 'for=192.0.2.60;proto=http, for="[2001:db8:cafe::17]:4711"' })).toBe('2001:db8:cafe::17')
    expect(from('10.0.0.5', { 'x-forwarded-for': 'garbage' })).toBe('10.0.0.5')
    // A proxy writes one header; the other may be the client's own: when they disagree, neither counts.
    expect(from('10.0.0.5', { 'x-forwarded-for': '192.0.2.1', forwarded: 'for=192.0.2.2' })).toBe('10.0.0.5')
    expect(from('192.0.2.50', { 'x-forwarded-for': '192.0.2.1' })).toBe('192.0.2.50')
    expect(
      clientAddress(
        { requestIP: () => ({ address: '10.0.0.5' }) } as never,
        new Request('http://x/', { headers: { 'x-forwarded-for': '192.0.2.1' } }),
        { ...trust, publicUrl: null },
      ),
    ).toBe('10.0.0.5')
  })
})
