// The worker process runs transcoding only: everything workers/transcode.ts reaches, import
// by import, lives in transcoding/, hls/, db/ or config/ (issue 12). A page, a route, the
// account code or the upload API pulled into the worker would run there unasked (and grow it).
import { describe, expect, test } from 'bun:test'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
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
  // The remote runner (workers/runner.ts) and the origin speak the same protocol.
  'src/runners/protocol.ts': "the runner protocol's bodies and rules",
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
// `isRuntimeOnly` leaves out `import type` lines: nothing of them runs.
function importGraph(entry: string, isRuntimeOnly = false): Map<string, string[]> {
  const reached = new Map<string, string[]>([[entry, [entry]]])
  const queue = [entry]
  while (queue.length > 0) {
    const file = queue.shift() as string
    if (!/\.tsx?$/.test(file)) continue
    const text = readFileSync(file, 'utf8')
    for (const match of text.matchAll(importPattern)) {
      if (isRuntimeOnly && /^\s*import\s+type\s/.test(match[0])) continue
      const target = resolveImport(file, match[1] ?? match[2])
      if (!target) throw new Error(`${relative(root, file)}: cannot resolve ${match[1] ?? match[2]}`)
      if (reached.has(target)) continue
      reached.set(target, [...(reached.get(file) ?? []), target])
      queue.push(target)
    }
  }
  return reached
}

// Files `entry` reaches outside the allowed folders and files, each as the chain of imports
// that reached it.
function reachedOutside(entry: string, folders: string[], files: Record<string, string>, isRuntimeOnly = false): string[] {
  return [...importGraph(join(root, entry), isRuntimeOnly).entries()]
    .map(([file, chain]) => ({ file: relative(root, file), chain: chain.map(f => relative(root, f)) }))
    .filter(({ file }) => file !== entry)
    .filter(({ file }) => !folders.some(folder => file.startsWith(folder)) && !(file in files))
    .map(({ chain }) => chain.join(' → '))
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
    expect(reachedOutside('workers/transcode.ts', allowedFolders, allowedFiles)).toEqual([])
  })
})

// A runner host has ffmpeg, Bun and a token (issue 14): workers/runner.ts runs ffmpeg the way
// the worker does (transcoding/run.ts and what it needs) and speaks HTTP; no code of the
// database, the queue or the media folder's layout runs in it. Types it shares with the
// origin (`import type`) are not code that runs, and are left out.
describe('import boundaries of the runner', () => {
  const runnerFolders = ['src/runners/client/', 'src/transcoding/']
  const files = [...importGraph(join(root, 'workers/runner.ts'), true).keys()].map(file => relative(root, file))

  test('the runner reaches ffmpeg, the protocol and its own client code', () => {
    expect(files).toContain('src/transcoding/run.ts')
    expect(files).toContain('src/runners/protocol.ts')
    expect(files).toContain('src/runners/client/session.ts')
  })

  test('it runs only runners/client/, runners/protocol.ts and what running ffmpeg needs', () => {
    expect(reachedOutside('workers/runner.ts', runnerFolders, allowedFiles, true)).toEqual([])
  })

  test('not a line of the queue, the database or the attempt code', () => {
    expect(
      files.filter(file => /^src\/(db|hls|config)\/|^src\/transcoding\/(index|jobs|outputs|engine|args|probe)\.ts$/.test(file)),
    ).toEqual([])
  })
})

// The layout stays readable from the tree (issue 12): each folder of src/ says what it holds
// in the first line of its main file, and the README's "Layout of the code" has a line for
// every folder there is and for none that is gone.
const srcFolders = readdirSync(join(root, 'src'), { withFileTypes: true })
  .filter(entry => entry.isDirectory())
  .map(entry => entry.name)
  .sort()

function firstLineOf(file: string): string {
  return readFileSync(file, 'utf8').split('\n', 1)[0]
}

// The main file is index.ts, or the file named for the folder; a folder with neither has
// exactly one file that opens with the folder's comment.
function openingProblem(folder: string): string | null {
  const dir = join(root, 'src', folder)
  const opening = new RegExp(`^// ${folder}/: \\S`)
  const main = ['index.ts', 'index.tsx', `${folder}.ts`, `${folder}.tsx`].find(name => existsSync(join(dir, name)))
  if (main) return opening.test(firstLineOf(join(dir, main))) ? null : `src/${folder}/${main} does not open with "// ${folder}/: …"`
  const opened = readdirSync(dir).filter(name => /\.tsx?$/.test(name) && opening.test(firstLineOf(join(dir, name))))
  return opened.length === 1
    ? null
    : `src/${folder}/ has no index.ts and ${opened.length} files opening with "// ${folder}/: …" (one must)`
}

function layoutSection(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  const start = readme.indexOf('\n## Layout of the code\n')
  if (start === -1) throw new Error('README.md has no "## Layout of the code" section')
  const end = readme.indexOf('\n## ', start + 1)
  return readme.slice(start, end === -1 ? undefined : end)
}

const isFolder = (path: string) => existsSync(join(root, path)) && statSync(join(root, path)).isDirectory()

describe('the layout is written down', () => {
  test('every folder of src/ opens its main file with "// <folder>/: what it holds"', () => {
    expect(srcFolders.length).toBeGreaterThan(10)
    expect(srcFolders.map(openingProblem).filter(problem => problem !== null)).toEqual([])
  })

  test("the README's layout has one line for each folder of src/, and names no folder that is not there", () => {
    const section = layoutSection()
    const lines = section.split('\n').filter(line => line.startsWith('- '))
    // Each line is about the folder it starts with.
    const leading = lines.map(line => /^- `([\w.-]+(?:\/[\w.-]+)*\/)`/.exec(line)?.[1] ?? `(no folder) ${line}`)
    const named = [...section.matchAll(/`(src\/[\w./-]*\/)`/g)].map(match => match[1])
    expect({
      missing: srcFolders.filter(folder => leading.filter(path => path === `src/${folder}/`).length !== 1),
      gone: [...new Set([...leading, ...named])].filter(path => !isFolder(path)),
    }).toEqual({ missing: [], gone: [] })
  })
})

// Pages render what the services give them: a query written in a page skips the service's
// rules (rights, caches and their invalidation) and is invisible to the API.
describe('pages and the database', () => {
  function filesUnder(folder: string): string[] {
    return [...new Bun.Glob('**/*.{ts,tsx}').scanSync(join(root, folder))].map(file => join(root, folder, file))
  }

  test('no file under src/pages imports src/db or drizzle', () => {
    const offenders = filesUnder('src/pages').flatMap(file => {
      const text = readFileSync(file, 'utf8')
      return [...text.matchAll(importPattern)]
        .map(match => match[1] ?? match[2])
        .filter(specifier => relative(root, resolve(dirname(file), specifier)).startsWith('src/db'))
        .concat(/from\s*['"]drizzle-orm/.test(text) ? ['drizzle-orm'] : [])
        .map(specifier => `${relative(root, file)} imports ${specifier}`)
    })
    expect(offenders).toEqual([])
  })
})
