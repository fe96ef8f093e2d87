// The worker process runs transcoding only: everything workers/transcode.ts reaches, import
// by import, lives in transcoding/, hls/, db/ or config/ (issue 12). A page, a route, the
// account code or the upload API pulled into the worker would run there unasked (and grow it).
import { describe, expect, test } from 'bun:test'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

const root = resolve(import.meta.dir, '..')

// Folders the worker may reach.
const allowedFolders = ['src/transcoding/', 'src/hls/', 'src/db/', 'src/config/']
// Single files outside them, each with its reason.
const allowedFiles: Record<string, string> = {
  // failure.ts stores the English sentence of a failure next to its code (the API's `error`).
  'src/i18n/index.ts': 'the English failure sentence',
  'src/i18n/en.json': 'the English failure sentence',
  'src/i18n/ru.json': 'loaded by i18n/index.ts',
}

const importPattern = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g

function resolveImport(from: string, specifier: string): string | null {
  const base = resolve(dirname(from), specifier)
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]) {
    if (/\.(tsx?|json)$/.test(candidate) && existsSync(candidate)) return candidate
  }
  return null
}

// Every file `entry` reaches through relative imports, with the chain that reached it.
function importGraph(entry: string): Map<string, string[]> {
  const reached = new Map<string, string[]>([[entry, [entry]]])
  const queue = [entry]
  while (queue.length > 0) {
    const file = queue.shift() as string
    if (!/\.tsx?$/.test(file)) continue
    const text = readFileSync(file, 'utf8')
    for (const match of text.matchAll(importPattern)) {
      const target = resolveImport(file, match[1] ?? match[2])
      if (!target) throw new Error(`${relative(root, file)}: cannot resolve ${match[1] ?? match[2]}`)
      if (reached.has(target)) continue
      reached.set(target, [...(reached.get(file) ?? []), target])
      queue.push(target)
    }
  }
  return reached
}

describe('import boundaries', () => {
  const graph = importGraph(join(root, 'workers/transcode.ts'))
  const files = [...graph.keys()].map(file => relative(root, file))

  test('the worker reaches the transcoder, not a stub', () => {
    expect(files).toContain('src/transcoding/index.ts')
    expect(files).toContain('src/transcoding/jobs.ts')
    expect(files).toContain('src/hls/layout.ts')
  })

  test('worker-side code imports only transcoding/, hls/, db/, config/', () => {
    const outside = [...graph.entries()]
      .map(([file, chain]) => ({ file: relative(root, file), chain: chain.map(f => relative(root, f)) }))
      .filter(({ file }) => file !== 'workers/transcode.ts')
      .filter(({ file }) => !allowedFolders.some(folder => file.startsWith(folder)) && !(file in allowedFiles))
      .map(({ chain }) => chain.join(' → '))
    expect(outside).toEqual([])
  })
})

// http/ is the shared plumbing under every feature (errors, CSRF, rights, bodies): it knows no
// feature, so auth/ can build on it without a cycle. What it needs of a user is its own `Actor`.
describe('http/ stays below the features', () => {
  const httpFolder = join(root, 'src/http')
  const files = readdirSync(httpFolder, { recursive: true, encoding: 'utf8' })
    .filter(name => /\.tsx?$/.test(name))
    .map(name => join(httpFolder, name))

  test('no file under src/http imports src/auth', () => {
    expect(files.length).toBeGreaterThan(5)
    const intoAuth = files.flatMap(file =>
      [...readFileSync(file, 'utf8').matchAll(importPattern)]
        .map(match => resolve(dirname(file), match[1] ?? match[2]))
        .filter(target => relative(root, target).startsWith('src/auth'))
        .map(target => `${relative(root, file)} → ${relative(root, target)}`),
    )
    expect(intoAuth).toEqual([])
  })
})
