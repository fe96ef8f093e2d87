import { afterAll, describe, expect, test } from 'bun:test'
import { createClient } from '@libsql/client'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SlidingWindow } from '../src/auth/throttle'
import { parseAdmins } from '../src/config/admins'
import { parseConfig } from '../src/config/ini'
import { signUp } from './helpers/client'
import { runServerOnce, startServer } from './helpers/server'

const dirs: string[] = []
function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'moviepoint-config-'))
  dirs.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

async function startWith(lines: string[]) {
  const dir = tempDir()
  const ini = join(dir, 'server.ini')
  writeFileSync(ini, [`MediaDataPath="${join(dir, 'media')}"`, 'Port=0', 'Host="127.0.0.1"', 'Workers=0', ...lines].join('\n'))
  return runServerOnce(ini)
}

describe('server.ini', () => {
  test('reads the defaults of a file that names only the media folder', () => {
    const dir = tempDir()
    const config = parseConfig(`MediaDataPath="${dir}/m"\n`, join(dir, 'server.ini'))
    expect(config).toMatchObject({
      mediaDataPath: `${dir}/m`,
      port: 8080,
      workers: 1,
      keepSource: true,
      publicUrl: null,
      bodyTimeoutSeconds: 20,
      maxEventStreamsPerClient: 16,
      adminsFile: join(dir, 'admins.txt'),
      database: { url: `file:${dir}/m/moviepoint.db`, isEmbedded: true },
      transcodeLimits: { memoryBytes: 2 * 1024 ** 3, timeFactor: 20, timeExtraSec: 60 },
      maxQueuedJobsPerUser: 100,
      failedSourceDays: 7,
    })
  })

  test('reads FailedSourceDays as a number of days, fractions allowed', () => {
    const dir = tempDir()
    expect(parseConfig(`MediaDataPath="${dir}"\nFailedSourceDays=0.5\n`, join(dir, 'server.ini')).failedSourceDays).toBe(0.5)
    expect(parseConfig(`MediaDataPath="${dir}"\nFailedSourceDays=30\n`, join(dir, 'server.ini')).failedSourceDays).toBe(30)
  })

  test('reads the transcoding limits and the queue limit per user', () => {
    const dir = tempDir()
    const text = `MediaDataPath="${dir}"
TranscodeMemoryLimit=512M
TranscodeTimeFactor=5
TranscodeTimeExtraSec=30
MaxQueuedJobsPerUser=3
`
    const config = parseConfig(text, join(dir, 'server.ini'))
    expect(config.transcodeLimits).toEqual({ memoryBytes: 512 * 1024 ** 2, timeFactor: 5, timeExtraSec: 30 })
    expect(config.maxQueuedJobsPerUser).toBe(3)
  })

  test('selects a libSQL server for a libsql:// or http:// Database URL', () => {
    const dir = tempDir()
    const config = parseConfig(
      `MediaDataPath="${dir}"\nDatabase="libsql://db.example:8080"\nDatabaseAuthToken="tok"\nMaxUploadBytes=20G\n`,
      join(dir, 'server.ini'),
    )
    expect(config.database).toEqual({ url: 'libsql://db.example:8080', authToken: 'tok', isEmbedded: false })
    expect(config.maxUploadBytes).toBe(20 * 1024 ** 3)
  })

  for (const [line, key] of [
    ['Port=eighty', 'Port'],
    ['Port=70000', 'Port'],
    ['Workers=-1', 'Workers'],
    ['MaxUploadBytes="lots"', 'MaxUploadBytes'],
    ['KeepSource=maybe', 'KeepSource'],
    ['PublicUrl="ftp://x"', 'PublicUrl'],
    ['TranscodeMemoryLimit="plenty"', 'TranscodeMemoryLimit'],
    ['MaxQueuedJobsPerUser=0', 'MaxQueuedJobsPerUser'],
    ['BodyTimeoutSeconds=0', 'BodyTimeoutSeconds'],
    ['MaxEventStreamsPerClient="many"', 'MaxEventStreamsPerClient'],
    ['PublicUrl="https://movies.example"\nTrustedProxies="10.0.0.0/33"', 'TrustedProxies'],
    ['PublicUrl="https://movies.example"\nTrustedProxies="127.0.0.1, proxy.lan"', 'TrustedProxies'],
    ['TrustedProxies="127.0.0.1"', 'TrustedProxies'],
    ['MaxSignUpsPerHour=0', 'MaxSignUpsPerHour'],
    ['FailedSourceDays=0', 'FailedSourceDays'],
    ['FailedSourceDays="a week"', 'FailedSourceDays'],
  ]) {
    test(`stops start-up with one line naming the key for ${line}`, async () => {
      const { exitCode, stderr, stdout } = await startWith([line])
      expect(exitCode).toBe(1)
      expect(stdout).not.toContain('listening')
      const lines = stderr.trim().split('\n')
      expect(lines).toHaveLength(1)
      expect(lines[0]).toContain(key)
      expect(stderr).not.toMatch(/\n\s+at /)
    })
  }

  test('stops start-up when the media folder cannot be created', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'file'), 'not a folder')
    const ini = join(dir, 'server.ini')
    writeFileSync(ini, `MediaDataPath="${join(dir, 'file', 'media')}"\nPort=0\n`)
    const { exitCode, stderr } = await runServerOnce(ini)
    expect(exitCode).toBe(1)
    expect(stderr.trim().split('\n')).toHaveLength(1)
    expect(stderr).toContain('MediaDataPath')
  })

  test('runs the embedded database in WAL mode', async () => {
    const server = await startServer()
    try {
      const db = createClient({ url: `file:${join(server.mediaDir, 'moviepoint.db')}` })
      const mode = await db.execute('PRAGMA journal_mode')
      expect(String(mode.rows[0][0])).toBe('wal')
      db.close()
    } finally {
      await server.stop()
    }
  })
})

describe('admins.txt', () => {
  test('takes ids, skips blanks and comments, tolerates CRLF and reports malformed lines', () => {
    const admins = parseAdmins('# admins\r\n1\r\n\r\n  7  # me\r\nbob\r\n3.5\r\n-2\n12\n', 'admins.txt')
    expect([...admins.ids].sort((a, b) => a - b)).toEqual([1, 7, 12])
    expect(admins.warnings).toHaveLength(3)
    expect(admins.warnings[0]).toContain('admins.txt:5')
  })

  test('makes the listed users admins at start-up and reports a malformed line', async () => {
    const server = await startServer({ admins: '1\nnot-an-id\n' })
    try {
      const admin = await signUp(server.url)
      const other = await signUp(server.url)
      expect((await admin.get('/api/v1/me')).body.user.isAdmin).toBe(true)
      expect((await other.get('/api/v1/me')).body.user.isAdmin).toBe(false)
      expect(server.output()).toContain('not-an-id')
    } finally {
      await server.stop()
    }
  })
})

describe('admins.txt that is missing or not a file', () => {
  test('a folder named as AdminsFile stops start-up with one line naming the key, no stack trace', async () => {
    const dir = tempDir()
    const folder = join(dir, 'admins.txt')
    mkdirSync(folder)
    const { exitCode, stderr, stdout } = await startWith([`AdminsFile="${folder}"`])
    expect(exitCode).toBe(1)
    expect(stdout).not.toContain('listening')
    const lines = stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain('AdminsFile')
    expect(lines[0]).toContain(folder)
    expect(stderr).not.toMatch(/\n\s+at /)
  })

  test('a missing admins.txt starts the server and says once, naming the file, that there are no admins', async () => {
    const server = await startServer()
    try {
      const file = join(server.dir, 'admins.txt')
      const lines = server
        .output()
        .split('\n')
        .filter(line => line.includes('admins'))
      expect(lines).toEqual([`${file} does not exist: there are no admins`])
    } finally {
      await server.stop()
    }
  })
})

describe('login throttle window', () => {
  test('lets the owner in again once the window has passed', () => {
    const throttle = new SlidingWindow({ max: 3, windowMs: 60_000 })
    for (let i = 0; i < 3; i++) throttle.record('user:ivan', 1_000 + i)
    expect(throttle.retryAfterSec('user:ivan', 2_000)).toBe(59)
    expect(throttle.retryAfterSec('user:ivan', 61_500)).toBe(0)
    expect(throttle.retryAfterSec('user:other', 2_000)).toBe(0)
  })
})
