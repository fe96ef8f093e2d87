// Every upload path stores exactly the bytes that were sent: the official tus-js-client
// (one PATCH, small and large chunks, resumed after an abort at a random point), two PATCHes
// racing on one upload, curl's raw PUT and form upload. The stored source is compared by
// SHA-256 (Workers=0: nothing probes or removes it).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Upload, type UploadOptions } from 'tus-js-client'
import { addTitle } from './helpers/catalogue'
import { type Client, signUp } from './helpers/client'
import { createTusUpload, filesIn, patchUpload, randomVideo, sha256, uploadOffset, uploadsDir } from './helpers/media'
import { type TestServer, startServer } from './helpers/server'

const KiB = 1024
const MiB = 1024 * KiB

let server: TestServer
let owner: Client
let token: string
let titleId: number

beforeAll(async () => {
  server = await startServer({ ini: { MaxUploadBytes: '64M' } })
  owner = await signUp(server.url)
  token = (await owner.post('/api/v1/tokens', { name: 'integrity' })).body.token
  titleId = (await addTitle(owner, { name: 'Integrity' })).id
})
afterAll(() => server.stop())

// The one file a finished upload left in its media folder.
function storedSource(mediaId: number): Buffer {
  const folder = join(server.mediaDir, String(mediaId))
  const names = filesIn(folder)
  expect(names).toEqual([expect.stringMatching(/^source\./)])
  return readFileSync(join(folder, names[0]))
}

type TusRun = { mediaId: number; url: string }

// One tus-js-client upload to its end (or until `abortAtBytes` are reported sent).
function runTusClient(bytes: Buffer, options: { chunkSize?: number; uploadUrl?: string; abortAtBytes?: number }): Promise<TusRun> {
  return new Promise((resolve, reject) => {
    let mediaId = 0
    let isAborting = false
    const settings: UploadOptions = {
      endpoint: `${server.url}/api/v1/uploads`,
      uploadUrl: options.uploadUrl ?? null,
      chunkSize: options.chunkSize ?? Number.POSITIVE_INFINITY,
      headers: { authorization: `Bearer ${token}` },
      metadata: { filename: 'clip.mkv', target: `title:${titleId}` },
      storeFingerprintForResuming: false,
      retryDelays: null,
      onAfterResponse: (_request, response) => {
        mediaId = Number(response.getHeader('Media-Id') ?? mediaId) || mediaId
      },
      onProgress: sentBytes => {
        if (options.abortAtBytes === undefined || isAborting || sentBytes < options.abortAtBytes) return
        isAborting = true
        upload.abort().then(() => resolve({ mediaId, url: upload.url as string }), reject)
      },
      onSuccess: () => resolve({ mediaId, url: upload.url as string }),
      onError: reject,
    }
    const upload = new Upload(bytes, settings)
    upload.start()
  })
}

const sizes = [1, KiB, 16 * KiB, 100 * KiB, MiB, 1.5 * MiB, 3 * MiB, 40 * MiB]
const ways = [
  { name: 'as one PATCH', chunkSize: undefined },
  { name: 'in 64 KiB chunks', chunkSize: 64 * KiB },
  { name: 'in 1 MiB chunks', chunkSize: MiB },
]

describe('tus-js-client uploads are stored byte for byte', () => {
  for (const size of sizes) {
    for (const way of ways) {
      test(`${size} bytes ${way.name}`, async () => {
        const bytes = Buffer.from(randomVideo(size))
        const { mediaId } = await runTusClient(bytes, { chunkSize: way.chunkSize })
        expect(sha256(storedSource(mediaId))).toBe(sha256(bytes))
      }, 60_000)
    }
    test(`${size} bytes, aborted at a random point and resumed by a new client`, async () => {
      const bytes = Buffer.from(randomVideo(size))
      const abortAtBytes = 1 + Math.floor(Math.random() * size)
      const chunkSize = size >= MiB ? 256 * KiB : undefined
      const first = await runTusClient(bytes, { chunkSize, abortAtBytes })
      const resumed = await runTusClient(bytes, { chunkSize, uploadUrl: first.url })
      const mediaId = resumed.mediaId || first.mediaId
      expect({ abortAtBytes, sha: sha256(storedSource(mediaId)) }).toEqual({ abortAtBytes, sha: sha256(bytes) })
    }, 60_000)
  }
})

describe('two PATCHes of one upload sent at once', () => {
  test('never corrupt it: 50 races, each file exact once the client resumes', async () => {
    const corrupted: string[] = []
    for (let run = 0; run < 50; run++) {
      const bytes = randomVideo(256 * KiB)
      const created = await createTusUpload(owner, { length: bytes.length, target: `title:${titleId}`, filename: 'race.mkv' })
      const location = created.headers.get('location') as string
      const mediaId = Number(created.headers.get('media-id'))
      const answers = await Promise.all([patchUpload(owner, location, 0, bytes), patchUpload(owner, location, 0, bytes)])
      const statuses = answers.map(answer => answer.status).sort()
      const offset = await uploadOffset(owner, location)
      if (offset < bytes.length) {
        expect((await patchUpload(owner, location, offset, bytes.subarray(offset))).status).toBe(204)
      }
      const stored = storedSource(mediaId)
      if (sha256(stored) !== sha256(bytes)) corrupted.push(`run ${run}: answers ${statuses}, ${stored.length} bytes stored`)
    }
    expect(corrupted).toEqual([])
  }, 120_000)
})

async function curl(args: string[]): Promise<{ status: number; body: string }> {
  const child = Bun.spawn(['curl', '-sS', '-o', '-', '-w', '\n%{http_code}', ...args], { stdout: 'pipe', stderr: 'pipe' })
  const [out, code] = await Promise.all([new Response(child.stdout).text(), child.exited])
  if (code !== 0) throw new Error(`curl failed (${code}): ${await new Response(child.stderr).text()}`)
  const cut = out.lastIndexOf('\n')
  return { status: Number(out.slice(cut + 1)), body: out.slice(0, cut) }
}

describe('curl uploads are stored byte for byte', () => {
  for (const size of [1, 16 * KiB, 100 * KiB, 1.5 * MiB, 3 * MiB]) {
    test(`a raw PUT of ${size} bytes`, async () => {
      const path = join(server.dir, `put-${size}.mkv`)
      writeFileSync(path, randomVideo(size))
      const answer = await curl([
        '-X',
        'PUT',
        '-H',
        `authorization: Bearer ${token}`,
        '--data-binary',
        `@${path}`,
        `${server.url}/api/v1/titles/${titleId}/video?filename=put.mkv`,
      ])
      expect(answer.status).toBe(202)
      expect(sha256(storedSource(JSON.parse(answer.body).media.id))).toBe(sha256(readFileSync(path)))
    })
  }

  test('the no-JavaScript form (multipart) of 3 MiB', async () => {
    const formTitleId = (await addTitle(owner, { name: 'Form' })).id
    const path = join(server.dir, 'form.mkv')
    writeFileSync(path, randomVideo(3 * MiB))
    const cookies = [...owner.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
    const answer = await curl([
      '-H',
      `cookie: ${cookies}`,
      '-H',
      `origin: ${server.url}`,
      '-F',
      `_csrf=${owner.csrfToken}`,
      '-F',
      `file=@${path};type=video/x-matroska`,
      `${server.url}/titles/${formTitleId}/video`,
    ])
    expect(answer.status).toBe(303)
    const title = (await (await fetch(`${server.url}/api/v1/titles/${formTitleId}`)).json()) as { title: { media: { id: number } } }
    expect(sha256(storedSource(title.title.media.id))).toBe(sha256(readFileSync(path)))
    expect(filesIn(uploadsDir(server)).filter(name => name.startsWith('put-'))).toEqual([])
  })
})
