// The memory maps behind small answers of the file server (src/media/stream/file-maps.ts):
// one per version of a file, and let go when unused, so a deleted file's disk space
// is not held.
import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileMaps, isOnLocalDisk } from '../src/media/stream/file-maps'

const dir = mkdtempSync(join(tmpdir(), 'moviepoint-file-maps-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const mappingsOf = (path: string) => readFileSync('/proc/self/maps', 'utf8').split('\n').filter((line) => line.includes(path))

describe('file maps', () => {
  test('a version is mapped once; a new version is mapped anew', () => {
    const path = join(dir, 'versions.ts')
    writeFileSync(path, 'first')
    const mapOf = fileMaps()
    const first = mapOf(path, 'v1')
    expect(new TextDecoder().decode(first as Uint8Array)).toBe('first')
    expect(mapOf(path, 'v1')).toBe(first)
    unlinkSync(path)
    writeFileSync(path, 'second')
    expect(new TextDecoder().decode(mapOf(path, 'v2') as Uint8Array)).toBe('second')
  })

  test('what cannot be mapped (an empty or missing file) is null, for Bun.file to answer', () => {
    const empty = join(dir, 'empty.ts')
    writeFileSync(empty, '')
    const mapOf = fileMaps()
    expect(mapOf(empty, 'v1')).toBeNull()
    expect(mapOf(join(dir, 'missing.ts'), 'v1')).toBeNull()
  })

  test('a map unused for a sweep period is let go: a deleted file stops being held', async () => {
    const kept = join(dir, 'kept.ts')
    const dropped = join(dir, 'dropped.ts')
    writeFileSync(kept, 'kept bytes')
    writeFileSync(dropped, 'dropped bytes')
    const mapOf = fileMaps({ idleMs: 100 })
    mapOf(kept, 'v1')
    mapOf(dropped, 'v1')
    expect(mappingsOf(dropped)).toHaveLength(1)
    unlinkSync(dropped)
    // `kept` stays in use; `dropped` is not asked for again.
    for (let i = 0; i < 6; i++) {
      await Bun.sleep(60)
      mapOf(kept, 'v1')
    }
    Bun.gc(true)
    await Bun.sleep(10)
    Bun.gc(true)
    expect(mappingsOf(dropped)).toHaveLength(0)
    expect(mappingsOf(kept)).toHaveLength(1)
  })
})

describe('where maps are used', () => {
  test('a local disk is; a filesystem of another kind (here /proc, as NFS or FUSE would be) is not', () => {
    expect(isOnLocalDisk(dir)).toBe(true)
    expect(isOnLocalDisk('/proc')).toBe(false)
  })
})
