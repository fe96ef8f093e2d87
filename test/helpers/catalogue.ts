// Catalogue fixtures for contract tests: titles through the API, media rows straight into
// the server's libSQL file (as the upload pipeline would leave them), folders on disk.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createClient } from '@libsql/client'
import { expect } from 'bun:test'
import type { Answer, Client } from './client'
import type { TestServer } from './server'

export async function addTitle(client: Client, fields: Record<string, unknown>) {
  const answer = await client.post('/api/v1/titles', { kind: 'movie', ...fields })
  if (answer.status !== 201) throw new Error(`create title failed: ${answer.status} ${answer.text}`)
  return answer.body.title
}

export async function addSeason(client: Client, titleId: number, number = 1) {
  const answer = await client.post(`/api/v1/titles/${titleId}/seasons`, { number })
  if (answer.status !== 201) throw new Error(`create season failed: ${answer.status} ${answer.text}`)
  return answer.body.season
}

export async function addEpisode(client: Client, seasonId: number, number = 1, name = `Episode ${number}`) {
  const answer = await client.post(`/api/v1/seasons/${seasonId}/episodes`, { number, name })
  if (answer.status !== 201) throw new Error(`create episode failed: ${answer.status} ${answer.text}`)
  return answer.body.episode
}

export function openServerDatabase(server: TestServer) {
  return createClient({ url: `file:${join(server.mediaDir, 'moviepoint.db')}` })
}

type MediaFixture = { ownerId: number; titleId?: number; episodeId?: number; isPlayable?: boolean }

// A ready media row and its folder with a playlist in it; returns the media id and folder.
export async function addMedia(server: TestServer, fixture: MediaFixture) {
  const db = openServerDatabase(server)
  try {
    const result = await db.execute({
      sql: `INSERT INTO media (title_id, episode_id, owner_id, status, progress, is_playable)
            VALUES (?, ?, ?, 'ready', 1, ?) RETURNING id`,
      args: [fixture.titleId ?? null, fixture.episodeId ?? null, fixture.ownerId, fixture.isPlayable === false ? 0 : 1],
    })
    const id = Number(result.rows[0].id)
    const folder = join(server.mediaDir, String(id))
    mkdirSync(join(folder, 'stream_0'), { recursive: true })
    writeFileSync(join(folder, 'master.m3u8'), '#EXTM3U\n')
    writeFileSync(join(folder, 'stream_0', 'data0000.ts'), 'segment')
    return { id, folder }
  } finally {
    db.close()
  }
}

export async function countRows(server: TestServer, sql: string, args: (string | number)[] = []) {
  const db = openServerDatabase(server)
  try {
    return Number((await db.execute({ sql, args })).rows[0][0])
  } finally {
    db.close()
  }
}

// The contract's error answer: status, code, and (when given) the field its message names.
export function expectError(answer: Answer, status: number, code?: string, field?: string) {
  expect({ status: answer.status, text: answer.text }).toMatchObject({ status })
  expect(answer.headers.get('content-type')).toContain('application/json')
  if (code) expect(answer.body.error.code).toBe(code)
  if (field) expect(answer.body.error.message).toContain(`"${field}"`)
  expect(answer.text).not.toMatch(/\bat .*\.(ts|js):\d+/)
}
