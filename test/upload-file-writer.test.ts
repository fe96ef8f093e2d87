// The upload writer (src/uploads/file-writer.ts) acknowledges bytes only once the
// file on disk ends exactly where its writes did.
import { describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeChunks } from '../src/uploads/file-writer'

const pace = { windowMs: 30_000, minBytes: 1 }

async function* chunksOf(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield new TextEncoder().encode(part)
}

describe('upload file writer', () => {
  test('writes each body at its position and returns the bytes written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moviepoint-writer-'))
    try {
      const path = join(dir, 'upload')
      writeFileSync(path, 'head:')
      const handle = await open(path, 'r+')
      try {
        expect(await writeChunks(handle, chunksOf('one', 'two'), { position: 5, limitBytes: 100, pace })).toBe(6)
      } finally {
        await handle.close()
      }
      expect(await Bun.file(path).text()).toBe('head:onetwo')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('a file that does not end where the writes did is a 500, cut back to where the body started', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moviepoint-writer-'))
    try {
      const path = join(dir, 'upload')
      // Something else made the file longer than this body's end (10 bytes at 5).
      writeFileSync(path, 'x'.repeat(40))
      const handle = await open(path, 'r+')
      try {
        const written = writeChunks(handle, chunksOf('0123456789'), { position: 5, limitBytes: 100, pace })
        await expect(written).rejects.toMatchObject({ status: 500, code: 'upload_write_mismatch' })
      } finally {
        await handle.close()
      }
      expect(statSync(path).size).toBe(5)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
