// Contract tests of uploads (shared/api.md, Media): tus 1.0 at /api/v1/uploads and the
// one-request PUT, against a real server on a real port.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { addEpisode, addSeason, addTitle, expectError, openServerDatabase } from './helpers/catalogue'
import { Client, signUp } from './helpers/client'
import {
  createTusUpload,
  credentialsOf,
  eventually,
  filesIn,
  patchUpload,
  randomVideo,
  send,
  sha256,
  tusMetadata,
  tusVersion,
  uploadOffset,
  uploadsDir,
} from './helpers/media'
import { openRaw, rawRequest } from './helpers/raw-http'
import { type TestServer, startServer } from './helpers/server'
import { isFinished, makeSource, openServerDb, waitForMedia } from './helpers/transcode'
import { assertRoomOnDisk, diskReserveBytes, hasRoomFor } from '../src/uploads/limits'
import { sweepUploads } from '../src/uploads/storage'

const MiB = 1024 * 1024
const maxUploadBytes = 32 * MiB

let server: TestServer
let admin: Client & { userId: number }
let owner: Client & { userId: number }
let other: Client & { userId: number }
let anonymous: Client
let movieId: number
let seriesId: number
let episodeId: number

beforeAll(async () => {
  server = await startServer({ admins: '1\n', ini: { MaxUploadBytes: '32M' } })
  admin = await signUp(server.url) // user 1, listed in admins.txt
  owner = await signUp(server.url)
  other = await signUp(server.url)
  anonymous = new Client(server.url)
  movieId = (await addTitle(owner, { name: 'Upload target' })).id
  seriesId = (await addTitle(owner, { kind: 'series', name: 'Series target' })).id
  episodeId = (await addEpisode(owner, (await addSeason(owner, seriesId)).id)).id
})
afterAll(() => server.stop())

async function queryRows(target: TestServer, sql: string, args: (string | number)[] = []) {
  const db = openServerDatabase(target)
  try {
    return (await db.execute({ sql, args })).rows as unknown as Record<string, unknown>[]
  } finally {
    db.close()
  }
}

const mediaRow = async (target: TestServer, id: number) => (await queryRows(target, 'SELECT * FROM media WHERE id = ?', [id]))[0]
const jobsOf = (target: TestServer, id: number) => queryRows(target, 'SELECT * FROM jobs WHERE media_id = ?', [id])
const mediaCount = async () => Number((await queryRows(server, 'SELECT count(*) AS n FROM media'))[0].n)

function sourceFileOf(target: TestServer, mediaId: number): string {
  const names = filesIn(join(target.mediaDir, String(mediaId)))
  expect(names).toHaveLength(1)
  return join(target.mediaDir, String(mediaId), names[0])
}

function expectStoredVideo(target: TestServer, mediaId: number, video: Uint8Array, ext: string) {
  const path = sourceFileOf(target, mediaId)
  expect(path.endsWith(`/${mediaId}/source.${ext}`)).toBe(true)
  expect(sha256(readFileSync(path))).toBe(sha256(video))
}

async function expectQueuedWithJob(target: TestServer, mediaId: number, sizeBytes: number) {
  expect(await mediaRow(target, mediaId)).toMatchObject({ status: 'queued', size_bytes: sizeBytes })
  expect(await jobsOf(target, mediaId)).toEqual([expect.objectContaining({ status: 'queued' })])
}

// The request line and headers of a PATCH whose body the caller writes by hand.
function patchHead(client: Client, location: string, offset: number, length: number): string[] {
  const headers = { ...credentialsOf(client), ...tusVersion, 'upload-offset': String(offset) }
  return [
    `PATCH ${new URL(location).pathname} HTTP/1.1`,
    'Content-Type: application/offset+octet-stream',
    `Content-Length: ${length}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ]
}

async function startStalledPatch(target: TestServer, client: Client, location: string, part: Uint8Array, announced: number) {
  const connection = await openRaw(target.url)
  const { host } = new URL(target.url)
  await connection.write(`${[...patchHead(client, location, 0, announced), `Host: ${host}`].join('\r\n')}\r\n\r\n`)
  await connection.write(part)
  return connection
}

describe('tus uploads', () => {
  test('resumes after a dropped connection and a server crash; the stored file is byte-identical', async () => {
    const first = await startServer()
    let restarted: TestServer | undefined
    try {
      const user = await signUp(first.url)
      const title = await addTitle(user, { name: 'Resumed' })
      const video = randomVideo(6 * MiB)
      const created = await createTusUpload(user, { length: video.length, target: `title:${title.id}`, filename: 'Film.MKV' })
      expect(created.status).toBe(201)
      const location = created.headers.get('location') as string
      const mediaId = Number(created.headers.get('media-id'))
      expect(location).toStartWith(`${first.url}/api/v1/uploads/`)
      expect((await mediaRow(first, mediaId)).status).toBe('uploading')

      const part = await patchUpload(user, location, 0, video.subarray(0, 2 * MiB))
      expect(part.status).toBe(204)
      expect(part.headers.get('upload-offset')).toBe(String(2 * MiB))

      // The next PATCH announces 4 MiB, sends 1 MiB, and its connection drops.
      const partialFile = join(uploadsDir(first), new URL(location).pathname.split('/').pop() as string)
      const connection = await openRaw(first.url)
      const { host } = new URL(first.url)
      await connection.write(`${[...patchHead(user, location, 2 * MiB, 4 * MiB), `Host: ${host}`].join('\r\n')}\r\n\r\n`)
      await connection.write(video.subarray(2 * MiB, 3 * MiB))
      await eventually(() => statSync(partialFile).size === 3 * MiB)
      connection.socket.destroy()
      expect(await uploadOffset(user, location)).toBe(3 * MiB)

      await first.kill()
      restarted = await startServer({ dir: first.dir })
      // The same browser session, now talking to the restarted server (a new port).
      const sameUser = new Client(restarted.url)
      for (const [name, value] of user.cookies) sameUser.cookies.set(name, value)
      const resumedLocation = location.replace(first.url, restarted.url)
      expect(await uploadOffset(sameUser, resumedLocation)).toBe(3 * MiB)
      const last = await patchUpload(sameUser, resumedLocation, 3 * MiB, video.subarray(3 * MiB))
      expect(last.status).toBe(204)
      expect(last.headers.get('upload-offset')).toBe(String(video.length))
      expect(last.headers.get('media-id')).toBe(String(mediaId))

      expectStoredVideo(restarted, mediaId, video, 'mkv')
      await expectQueuedWithJob(restarted, mediaId, video.length)
      expect(filesIn(uploadsDir(restarted))).toEqual([])
      // A client that lost the last answer asks again and learns it is complete.
      const again = await send(sameUser, 'HEAD', resumedLocation, { headers: tusVersion })
      expect(again.status).toBe(200)
      expect(again.headers.get('upload-offset')).toBe(String(video.length))
      expect(again.headers.get('upload-length')).toBe(String(video.length))
    } finally {
      await (restarted ?? first).stop()
    }
  })

  test('two PATCHes racing on one upload: the second is refused and the file stays exact', async () => {
    const video = randomVideo(4 * MiB)
    const created = await createTusUpload(owner, { length: video.length, target: `title:${movieId}`, filename: 'race.mp4' })
    const location = created.headers.get('location') as string
    const mediaId = Number(created.headers.get('media-id'))
    const partialFile = join(uploadsDir(server), new URL(location).pathname.split('/').pop() as string)

    // The first PATCH has sent 1 MiB of 4 and stalls; the second sends everything from 0.
    const stalled = await startStalledPatch(server, owner, location, video.subarray(0, MiB), video.length)
    await eventually(() => statSync(partialFile).size === MiB)
    const second = await patchUpload(owner, location, 0, video)
    expect([409, 423]).toContain(second.status)
    stalled.socket.destroy()

    const offset = await uploadOffset(owner, location)
    expect(offset).toBe(MiB)
    expect(sha256(readFileSync(partialFile))).toBe(sha256(video.subarray(0, MiB)))
    expect((await patchUpload(owner, location, offset, video.subarray(offset))).status).toBe(204)
    expectStoredVideo(server, mediaId, video, 'mp4')
  })

  test('a PATCH still sending is stopped for a newer one (the newer wins, as in tus): no byte is lost or doubled', async () => {
    const video = randomVideo(2 * MiB)
    const created = await createTusUpload(owner, { length: video.length, target: `title:${movieId}`, filename: 'live.mp4' })
    const location = created.headers.get('location') as string
    const mediaId = Number(created.headers.get('media-id'))

    // The first PATCH keeps sending a little every 200 ms: its connection is never idle.
    const older = await startStalledPatch(server, owner, location, video.subarray(0, 64 * 1024), video.length)
    let sent = 64 * 1024
    const trickle = setInterval(() => {
      const next = Math.min(video.length - 1024, sent + 16 * 1024)
      if (next > sent) older.write(video.subarray(sent, next)).catch(() => {})
      sent = next
    }, 200)
    try {
      const newer = await patchUpload(owner, location, 0, video)
      expect(newer.status).toBe(409)
      await older.answer
    } finally {
      clearInterval(trickle)
    }
    const offset = await uploadOffset(owner, location)
    expect(offset).toBeGreaterThan(64 * 1024)
    expect((await patchUpload(owner, location, offset, video.subarray(offset))).status).toBe(204)
    expectStoredVideo(server, mediaId, video, 'mp4')
  }, 30_000)

  test('a whole file in the creation request (creation-with-upload) is queued at once', async () => {
    const video = randomVideo(512 * 1024)
    const created = await send(owner, 'POST', '/api/v1/uploads', {
      headers: {
        ...tusVersion,
        'upload-length': String(video.length),
        'upload-metadata': tusMetadata({ filename: 'e01.webm', target: `episode:${episodeId}` }),
        'content-type': 'application/offset+octet-stream',
      },
      body: video,
    })
    expect(created.status).toBe(201)
    expect(created.headers.get('upload-offset')).toBe(String(video.length))
    const mediaId = Number(created.headers.get('media-id'))
    expect(await mediaRow(server, mediaId)).toMatchObject({ episode_id: episodeId, title_id: null, owner_id: owner.userId })
    expectStoredVideo(server, mediaId, video, 'webm')
    await expectQueuedWithJob(server, mediaId, video.length)
  })

  test('termination removes the partial file and the media row', async () => {
    const created = await createTusUpload(owner, { length: 4 * MiB, target: `title:${movieId}`, filename: 'gone.mp4' })
    const location = created.headers.get('location') as string
    const mediaId = Number(created.headers.get('media-id'))
    await patchUpload(owner, location, 0, randomVideo(MiB))
    expect(filesIn(uploadsDir(server)).some(name => name.startsWith(`${mediaId}-`))).toBe(true)

    const deleted = await send(owner, 'DELETE', location, { headers: tusVersion })
    expect(deleted.status).toBe(204)
    expect(filesIn(uploadsDir(server)).some(name => name.startsWith(`${mediaId}-`))).toBe(false)
    expect(await mediaRow(server, mediaId)).toBeUndefined()
    expect((await send(owner, 'HEAD', location, { headers: tusVersion })).status).toBe(404)
  })

  test('only the signed-in owner of the title, or an admin, may start an upload', async () => {
    const target = `title:${movieId}`
    expectError(await asAnswer(createTusUpload(anonymous, { length: 100, target })), 401, 'unauthorized')
    expectError(await asAnswer(createTusUpload(other, { length: 100, target })), 403, 'forbidden')
    expect((await createTusUpload(admin, { length: 100, target })).status).toBe(201)
    expectError(await asAnswer(createTusUpload(owner, { length: 100, target: 'title:999999' })), 404, 'title_not_found')
    expectError(await asAnswer(createTusUpload(owner, { length: 100, target: 'episode:999999' })), 404, 'episode_not_found')
    expectError(await asAnswer(createTusUpload(owner, { length: 100, target: `title:${seriesId}` })), 400, 'title_not_movie')
    expectError(await asAnswer(createTusUpload(owner, { length: 100, target: 'movie:1' })), 400, 'invalid_target')
  })

  test('a browser upload without the CSRF token is refused', async () => {
    const answer = await createTusUpload(owner, { length: 100, target: `title:${movieId}`, headers: { 'x-csrf-token': 'wrong' } })
    expect(answer.status).toBe(403)
  })

  test('HEAD, PATCH and DELETE of an upload belong to its uploader (or an admin)', async () => {
    const created = await createTusUpload(owner, { length: 1000, target: `title:${movieId}` })
    const location = created.headers.get('location') as string
    const patch = (client: Client | null) =>
      send(client, 'PATCH', location, {
        headers: { ...tusVersion, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
        body: randomVideo(10),
      })
    for (const method of ['HEAD', 'DELETE']) {
      expect((await send(anonymous, method, location, { headers: tusVersion })).status).toBe(401)
      expect((await send(other, method, location, { headers: tusVersion })).status).toBe(403)
    }
    expect((await patch(anonymous)).status).toBe(401)
    expect((await patch(other)).status).toBe(403)
    expect(await uploadOffset(owner, location)).toBe(0)
    expect((await patch(admin)).status).toBe(204)
    expect(await uploadOffset(owner, location)).toBe(10)
  })

  test('the client filename is display text: the file lands in its media folder as source.<ext>', async () => {
    const cases = [
      { filename: '../../etc/passwd', ext: 'bin' },
      { filename: 'a/b\\c.MP4', ext: 'mp4' },
      { filename: '..', ext: 'bin' },
      { filename: 'Фильм (1997).mkv', ext: 'mkv' },
    ]
    for (const { filename, ext } of cases) {
      const video = randomVideo(1000)
      const created = await createTusUpload(owner, { length: video.length, target: `title:${movieId}`, filename })
      const mediaId = Number(created.headers.get('media-id'))
      expect((await patchUpload(owner, created.headers.get('location') as string, 0, video)).status).toBe(204)
      expectStoredVideo(server, mediaId, video, ext)
      expect((await mediaRow(server, mediaId)).original_filename).toBe(filename)
    }
    expect(filesIn(server.mediaDir).filter(name => !/^(\d+|\.uploads|moviepoint\.db.*)$/.test(name))).toEqual([])
  })
})

// Reads a fetch answer the way expectError wants it.
async function asAnswer(response: Promise<Response> | Response) {
  const answer = await response
  const text = await answer.text()
  return { status: answer.status, headers: answer.headers, text, body: text ? JSON.parse(text) : undefined }
}

describe('upload size limits', () => {
  test('an Upload-Length above MaxUploadBytes is a 413 before anything is stored', async () => {
    const before = await mediaCount()
    const answer = await asAnswer(createTusUpload(owner, { length: maxUploadBytes + 1, target: `title:${movieId}` }))
    expectError(answer, 413, 'payload_too_large')
    expect(await mediaCount()).toBe(before)
  })

  test('a negative, non-numeric, fractional, overflowing or missing Upload-Length is a 400', async () => {
    const before = await mediaCount()
    for (const length of ['-1', 'abc', '1.5', '1e6', '99999999999999999999', '']) {
      const answer = await asAnswer(createTusUpload(owner, { length, target: `title:${movieId}` }))
      expect({ length, status: answer.status }).toEqual({ length, status: 400 })
    }
    expectError(await asAnswer(createTusUpload(owner, { length: 0, target: `title:${movieId}` })), 400, 'empty_upload')
    expect(await mediaCount()).toBe(before)
  })

  test('a PATCH beyond Upload-Length is a 413 and writes nothing', async () => {
    const created = await createTusUpload(owner, { length: 1000, target: `title:${movieId}` })
    const location = created.headers.get('location') as string
    expect((await patchUpload(owner, location, 0, randomVideo(600))).status).toBe(204)
    expect((await patchUpload(owner, location, 600, randomVideo(500))).status).toBe(413)
    expect(await uploadOffset(owner, location)).toBe(600)
  })

  test('a raw PUT whose Content-Length is above MaxUploadBytes is a 413 before the body is read', async () => {
    const headers = Object.entries({ ...credentialsOf(owner) }).map(([name, value]) => `${name}: ${value}`)
    const answer = await rawRequest(server.url, [
      `PUT /api/v1/titles/${movieId}/video HTTP/1.1`,
      `Content-Length: ${maxUploadBytes + 1}`,
      ...headers,
    ])
    expect(answer.status).toBe(413)
    expect(filesIn(uploadsDir(server)).filter(name => name.startsWith('put-'))).toEqual([])
  })

  test('a chunked raw PUT (no length declared) is stored byte-exact', async () => {
    const token = (await owner.post('/api/v1/tokens', { name: 'chunked' })).body.token
    // More than 16 MiB: the chunk writer's background syncs run while the rest arrives.
    const video = randomVideo(20 * MiB)
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < video.length; at += MiB) controller.enqueue(video.subarray(at, at + MiB))
        controller.close()
      },
    })
    const answer = await fetch(`${server.url}/api/v1/titles/${movieId}/video?filename=chunked.mkv`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'video/x-matroska' },
      body,
    })
    expect(answer.status).toBe(202)
    const { media } = (await answer.json()) as { media: { id: number } }
    expectStoredVideo(server, media.id, video, 'mkv')
  })

  test('a chunked raw PUT is cut off at MaxUploadBytes and leaves nothing behind', async () => {
    const before = await mediaCount()
    const connection = await openRaw(server.url)
    const { host } = new URL(server.url)
    const headers = Object.entries(credentialsOf(owner)).map(([name, value]) => `${name}: ${value}`)
    const request = [`PUT /api/v1/titles/${movieId}/video HTTP/1.1`, `Host: ${host}`, 'Transfer-Encoding: chunked', ...headers]
    await connection.write(`${request.join('\r\n')}\r\n\r\n`)
    // Send 1 MiB chunks until the server answers: it must do so at the limit, without
    // waiting for the end of a body that would go on far beyond it.
    const chunk = Buffer.concat([Buffer.from(`${MiB.toString(16)}\r\n`), randomVideo(MiB), Buffer.from('\r\n')])
    let isAnswered = false
    void connection.head.then(() => (isAnswered = true))
    // The server closes the connection after its 413, so a write racing that close may
    // fail (EPIPE): expected, as long as the 413 itself arrived.
    for (let sent = 0; !isAnswered && sent < 2 * maxUploadBytes; sent += MiB) {
      await Promise.race([connection.write(chunk).catch(() => {}), connection.head])
    }
    expect((await connection.head).status).toBe(413)
    connection.socket.destroy()
    expect(await mediaCount()).toBe(before)
    await eventually(() => filesIn(uploadsDir(server)).filter(name => name.startsWith('put-')).length === 0)
  })

  test('a malformed Content-Length on a raw PUT is a 400', async () => {
    for (const length of ['-1', 'abc', '99999999999999999999']) {
      const answer = await rawRequest(server.url, [
        `PUT /api/v1/titles/${movieId}/video HTTP/1.1`,
        `Content-Length: ${length}`,
        ...Object.entries(credentialsOf(owner)).map(([name, value]) => `${name}: ${value}`),
      ])
      expect({ length, status: answer.status }).toEqual({ length, status: 400 })
    }
  })

  test('not enough free disk space is a 507 insufficient_storage, on tus and raw PUT alike', async () => {
    // MaxUploadBytes is set far above any real disk, so a 2 PiB upload passes the size
    // limit and meets the free-space check of the real filesystem.
    const roomy = await startServer({ ini: { MaxUploadBytes: '4096T' } })
    try {
      const user = await signUp(roomy.url)
      const title = await addTitle(user, { name: 'Too big' })
      const huge = 2 ** 51
      const answer = await asAnswer(createTusUpload(user, { length: huge, target: `title:${title.id}` }))
      expectError(answer, 507, 'insufficient_storage')
      const put = await rawRequest(roomy.url, [
        `PUT /api/v1/titles/${title.id}/video HTTP/1.1`,
        `Content-Length: ${huge}`,
        ...Object.entries(credentialsOf(user)).map(([name, value]) => `${name}: ${value}`),
      ])
      expect(put.status).toBe(507)
      expect(JSON.parse(put.body).error.code).toBe('insufficient_storage')
    } finally {
      await roomy.stop()
    }
  })

  test('the free-space check keeps a reserve and reads the filesystem it is given', async () => {
    const blocks = (bytes: number) => ({ bavail: bytes / 4096, bsize: 4096 })
    expect(hasRoomFor(MiB, blocks(diskReserveBytes + MiB))).toBe(true)
    expect(hasRoomFor(MiB + 1, blocks(diskReserveBytes + MiB))).toBe(false)
    expect(hasRoomFor(1, blocks(0))).toBe(false)
    const full = async () => blocks(diskReserveBytes)
    await expect(assertRoomOnDisk('/anywhere', 1, full)).rejects.toMatchObject({ status: 507, code: 'insufficient_storage' })
    await expect(assertRoomOnDisk('/anywhere', 1, async () => blocks(diskReserveBytes + 4096))).resolves.toBeUndefined()
  })
})

describe('raw PUT uploads', () => {
  test('stream the body to the media folder and queue it: 202 {media}', async () => {
    const bearer = Client.withToken(server.url, (await owner.post('/api/v1/tokens', { name: 'script' })).body.token)
    // With its length declared, the body goes to the file through Bun itself.
    const video = randomVideo(30 * MiB)
    const answer = await asAnswer(
      send(bearer, 'PUT', `/api/v1/titles/${movieId}/video`, {
        headers: {
          'content-type': 'video/mp4',
          'content-disposition': `attachment; filename="film.mov"; filename*=UTF-8''${encodeURIComponent('Мой фильм.MOV')}`,
        },
        body: video,
      }),
    )
    expect(answer.status).toBe(202)
    const media = answer.body.media
    expect(media).toMatchObject({ titleId: movieId, episodeId: null, status: 'queued', progress: 0, masterUrl: null })
    expectStoredVideo(server, media.id, video, 'mov')
    await expectQueuedWithJob(server, media.id, video.length)
    expect((await mediaRow(server, media.id)).original_filename).toBe('Мой фильм.MOV')
  })

  test('episodes take a video too, named by ?filename=', async () => {
    const video = randomVideo(1000)
    const answer = await send(owner, 'PUT', `/api/v1/episodes/${episodeId}/video?filename=${encodeURIComponent('a/b\\c.mkv')}`, {
      body: video,
    })
    expect(answer.status).toBe(202)
    const { media } = await answer.json()
    expect(media.episodeId).toBe(episodeId)
    expectStoredVideo(server, media.id, video, 'mkv')
    expect((await mediaRow(server, media.id)).original_filename).toBe('a/b\\c.mkv')
  })

  test('only the signed-in owner of the title, or an admin, may PUT a video', async () => {
    const put = (client: Client) => asAnswer(send(client, 'PUT', `/api/v1/titles/${movieId}/video`, { body: randomVideo(10) }))
    expectError(await put(anonymous), 401, 'unauthorized')
    expectError(await put(other), 403, 'forbidden')
    expect((await put(admin)).status).toBe(202)
    expect((await put(owner)).status).toBe(202)
    expectError(await asAnswer(send(owner, 'PUT', '/api/v1/titles/999999/video', { body: 'x' })), 404, 'title_not_found')
    expectError(await asAnswer(send(owner, 'PUT', `/api/v1/titles/${seriesId}/video`, { body: 'x' })), 400, 'title_not_movie')
  })

  test('an empty body is refused', async () => {
    const before = await mediaCount()
    expectError(await asAnswer(send(owner, 'PUT', `/api/v1/titles/${movieId}/video`, { body: '' })), 400, 'empty_upload')
    expect(await mediaCount()).toBe(before)
  })

  test('a body that stops before its Content-Length leaves no media and no file', async () => {
    const before = await mediaCount()
    const connection = await openRaw(server.url)
    const { host } = new URL(server.url)
    const headers = Object.entries(credentialsOf(owner)).map(([name, value]) => `${name}: ${value}`)
    await connection.write(
      [`PUT /api/v1/titles/${movieId}/video HTTP/1.1`, `Host: ${host}`, `Content-Length: ${4 * MiB}`, ...headers].join('\r\n') +
        '\r\n\r\n',
    )
    await connection.write(randomVideo(MiB))
    await eventually(() => filesIn(uploadsDir(server)).some(name => name.startsWith('put-')))
    connection.socket.destroy()
    await eventually(() => filesIn(uploadsDir(server)).every(name => !name.startsWith('put-')))
    expect(await mediaCount()).toBe(before)
  })
})

describe('upload housekeeping', () => {
  test('sweeps tus leftovers of deleted media and raw PUT parts older than a day, nothing else', async () => {
    const dataPath = mkdtempSync(join(tmpdir(), 'moviepoint-sweep-'))
    try {
      const folder = join(dataPath, '.uploads')
      mkdirSync(folder)
      const hex = 'ab'.repeat(16)
      const names = [`5-${hex}`, `5-${hex}.json`, `6-${hex}`, `6-${hex}.json`, 'put-old.part', 'put-new.part', 'notes.txt']
      for (const name of names) writeFileSync(join(folder, name), 'x')
      const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600_000)
      utimesSync(join(folder, 'put-old.part'), twoDaysAgo, twoDaysAgo)

      const removed = await sweepUploads({ mediaDataPath: dataPath, hasMedia: async id => id === 6 })
      expect(removed).toBe(3)
      expect(filesIn(folder)).toEqual([`6-${hex}`, `6-${hex}.json`, 'notes.txt', 'put-new.part'])
    } finally {
      rmSync(dataPath, { recursive: true, force: true })
    }
  })
})

describe('crash recovery', () => {
  test('queues an upload that a crash left between moving its file into place and queuing its job', async () => {
    const first = await startServer()
    const uploader = await signUp(first.url)
    const titleId = (await addTitle(uploader, { name: 'Crash target' })).id
    const [row] = await queryRows(first, "INSERT INTO media (title_id, owner_id, status) VALUES (?, ?, 'uploading') RETURNING id", [
      titleId,
      uploader.userId,
    ])
    const mediaId = Number(row.id)
    mkdirSync(join(first.mediaDir, String(mediaId)))
    writeFileSync(join(first.mediaDir, String(mediaId), 'source.mp4'), randomVideo(4096))
    await first.kill()

    const second = await startServer({ dir: first.dir })
    try {
      await eventually(async () => (await mediaRow(second, mediaId))?.status === 'queued')
      await expectQueuedWithJob(second, mediaId, 4096)
    } finally {
      await second.stop()
    }
  })
})

describe('an upload complete on disk when the server died', () => {
  // MOVIEPOINT_CRASH_AT=upload-complete (a test fault-injection point, read at start-up)
  // SIGKILLs the server right after the last byte is durable, before the upload is finished.
  test('is finished once at the next start (racing HEADs too) and becomes ready with no client action', async () => {
    const sourceDir = mkdtempSync(join(tmpdir(), 'moviepoint-crash-source-'))
    const source = await makeSource(join(sourceDir, 'clip.mp4'), { width: 320, height: 180, durationSec: 2 })
    const video = new Uint8Array(readFileSync(source))
    const env = { MOVIEPOINT_X264_PRESET: 'superfast' }
    const first = await startServer({ ini: { Workers: 1 }, env: { ...env, MOVIEPOINT_CRASH_AT: 'upload-complete' } })
    let second: TestServer | undefined
    try {
      const user = await signUp(first.url)
      const token = (await user.post('/api/v1/tokens', { name: 'crash' })).body.token
      const title = await addTitle(user, { name: 'Crash at the last byte' })
      const created = await createTusUpload(user, { length: video.length, target: `title:${title.id}`, filename: 'clip.mp4' })
      const location = created.headers.get('location') as string
      const mediaId = Number(created.headers.get('media-id'))
      const patch = await patchUpload(user, location, 0, video).then(
        answer => answer.status,
        () => 'connection lost',
      )
      expect(patch).toBe('connection lost')
      await first.process.exited
      expect(first.process.signalCode).toBe('SIGKILL')
      const partialFile = join(uploadsDir(first), new URL(location).pathname.split('/').pop() as string)
      expect(statSync(partialFile).size).toBe(video.length)
      expect((await mediaRow(first, mediaId)).status).toBe('uploading')

      second = await startServer({ dir: first.dir, env })
      const client = Client.withToken(second.url, token)
      const resumedLocation = location.replace(first.url, second.url)
      const heads = await Promise.all([1, 2, 3].map(() => send(client, 'HEAD', resumedLocation, { headers: tusVersion })))
      for (const head of heads) {
        expect(head.status).toBe(200)
        expect(head.headers.get('upload-offset')).toBe(String(video.length))
      }
      const db = openServerDb(second)
      try {
        const row = await waitForMedia(db.db, mediaId, isFinished)
        expect(row.status).toBe('ready')
      } finally {
        db.client.close()
      }
      expect(await jobsOf(second, mediaId)).toHaveLength(1)
      expect(filesIn(uploadsDir(second))).toEqual([])
    } finally {
      await (second ?? first).stop()
      rmSync(sourceDir, { recursive: true, force: true })
    }
  }, 120_000)
})

describe('an upload body trickled a byte at a time', () => {
  // At least 1 KiB in every second spent waiting for the client (the default is 30 s).
  const paced = { UploadMinRate: '1K', UploadRateWindow: 1 }

  async function trickle(connection: Awaited<ReturnType<typeof openRaw>>, bytes: Uint8Array) {
    let sent = 0
    const timer = setInterval(() => {
      if (sent < bytes.length) connection.write(bytes.subarray(sent, sent + 1)).catch(() => {})
      sent += 1
    }, 300)
    const answer = await Promise.race([connection.answer, Bun.sleep(8000).then(() => null)])
    clearInterval(timer)
    return answer
  }

  test('is cut (408, connection closed) keeping what arrived, and tus resumes from there to an exact file', async () => {
    const slow = await startServer({ ini: paced })
    try {
      const user = await signUp(slow.url)
      const title = await addTitle(user, { name: 'Trickle' })
      const video = randomVideo(MiB)
      const created = await createTusUpload(user, { length: video.length, target: `title:${title.id}`, filename: 'slow.mkv' })
      const location = created.headers.get('location') as string
      const mediaId = Number(created.headers.get('media-id'))
      const connection = await startStalledPatch(slow, user, location, video.subarray(0, 64 * 1024), video.length)
      const answer = await trickle(connection, video.subarray(64 * 1024))
      expect(answer?.status).toBe(408)
      expect(answer?.body).toContain('upload_too_slow')
      const offset = await uploadOffset(user, location)
      expect(offset).toBeGreaterThanOrEqual(64 * 1024)
      expect(offset).toBeLessThan(64 * 1024 + 100)
      const resumed = await patchUpload(user, location, offset, video.subarray(offset))
      expect(resumed.status).toBe(204)
      expectStoredVideo(slow, mediaId, video, 'mkv')
    } finally {
      await slow.stop()
    }
  }, 30_000)

  test('a raw PUT is cut (408) and leaves no media and no file', async () => {
    const slow = await startServer({ ini: paced })
    try {
      const user = await signUp(slow.url)
      const title = await addTitle(user, { name: 'Trickle PUT' })
      const connection = await openRaw(slow.url)
      const headers = Object.entries(credentialsOf(user)).map(([name, value]) => `${name}: ${value}`)
      const { host } = new URL(slow.url)
      await connection.write(
        [`PUT /api/v1/titles/${title.id}/video HTTP/1.1`, `Host: ${host}`, `Content-Length: ${MiB}`, ...headers].join('\r\n') +
          '\r\n\r\n',
      )
      await connection.write(randomVideo(64 * 1024))
      const answer = await trickle(connection, randomVideo(MiB))
      expect(answer?.status).toBe(408)
      expect(Number((await queryRows(slow, 'SELECT count(*) AS n FROM media'))[0].n)).toBe(0)
      await eventually(() => filesIn(uploadsDir(slow)).length === 0)
    } finally {
      await slow.stop()
    }
  }, 30_000)
})
