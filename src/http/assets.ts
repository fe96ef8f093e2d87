// Front-end files, all served by MoviePoint itself (a home server may be offline: no CDN).
// Vendor files come from node_modules under a fixed allow-list; our own from web/.
// URLs carry the package version or a content hash, so they are cached for a year.
import { existsSync, readFileSync } from 'node:fs'
import { join, normalize, resolve } from 'node:path'
import { Elysia } from 'elysia'
import { notFound } from './errors'
import { vidstackSourcePlugin } from './vidstack-source'

const root = resolve(import.meta.dir, '../..')
const webFolder = join(root, 'web')

function packageFile(pkg: string, file: string) {
  return join(root, 'node_modules', pkg, file)
}

function packageVersion(pkg: string): string {
  const path = packageFile(pkg, 'package.json')
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')).version : '0'
}

// name → file; only these can be reached under /assets/vendor/.
const vendorFiles: Record<string, { pkg: string; file: string }> = {
  'swagger-ui.css': { pkg: 'swagger-ui-dist', file: 'swagger-ui.css' },
  'swagger-ui-bundle.js': { pkg: 'swagger-ui-dist', file: 'swagger-ui-bundle.js' },
}

export function registerVendorFile(name: string, pkg: string, file: string) {
  vendorFiles[name] = { pkg, file }
}

const versions = new Map<string, string>()

function cachedVersion(pkg: string): string {
  if (!versions.has(pkg)) versions.set(pkg, packageVersion(pkg))
  return versions.get(pkg) as string
}

export function vendorUrl(name: string): string {
  const entry = vendorFiles[name]
  if (!entry) throw new Error(`unknown vendor asset ${name}`)
  return `/assets/vendor/${cachedVersion(entry.pkg)}/${name}`
}

// Our own files: cache-busted by their modification time.
export function webUrl(file: string): string {
  const stamp = Bun.file(join(webFolder, file)).lastModified.toString(36)
  return `/assets/web/${stamp}/${file}`
}

// Our own ES modules that import packages (the player imports vidstack and hls.js): bundled
// once by Bun into one classic script, in memory, on first request. The URL carries the
// entry's modification time, like webUrl.
// Kept gzipped too: the player's bundle is ~1 MB, ~300 KB gzipped.
type Bundle = { text: string; gzipped: Blob }
const bundles = new Map<string, Promise<Bundle>>()

async function buildBundle(file: string): Promise<Bundle> {
  const result = await Bun.build({
    entrypoints: [join(webFolder, file)],
    format: 'iife',
    minify: true,
    target: 'browser',
    plugins: [vidstackSourcePlugin],
    // Packages' production builds (vidstack and lit ship a development one too).
    conditions: ['production'],
    define: { 'process.env.NODE_ENV': '"production"' },
  })
  if (!result.success) throw new Error(`cannot bundle web/${file}: ${result.logs.join('\n')}`)
  const [output] = result.outputs
  if (!output) throw new Error(`bundling web/${file} gave no output`)
  const text = await output.text()
  return { text, gzipped: new Blob([Bun.gzipSync(text)]) }
}

// Only these web/ files are ever bundled, each with the packages it imports.
const bundledFiles = new Map<string, string[]>()

export function registerBundle(file: string, packages: string[]) {
  bundledFiles.set(file, packages)
}

// Changes with the entry file and with the version of every package it bundles.
export function bundleUrl(file: string): string {
  const versionsOfPackages = (bundledFiles.get(file) ?? []).map(cachedVersion).join('-')
  const stamp = `${Bun.file(join(webFolder, file)).lastModified.toString(36)}-${versionsOfPackages}`
  return `/assets/bundle/${stamp}/${file}`
}

function bundleOf(file: string): Promise<Bundle> {
  if (!bundles.has(file)) bundles.set(file, buildBundle(file))
  return bundles.get(file) as Promise<Bundle>
}

const immutable = { 'cache-control': 'public, max-age=31536000, immutable' }

function fileResponse(path: string) {
  const file = Bun.file(path)
  return new Response(file, { headers: { ...immutable, 'content-type': file.type } })
}

export const assetRoutes = new Elysia({ name: 'assets' })
  .get('/assets/vendor/:version/:name', ({ params }) => {
    const entry = vendorFiles[params.name]
    if (!entry) throw notFound('asset_not_found', 'No such asset')
    return fileResponse(packageFile(entry.pkg, entry.file))
  })
  .get('/assets/bundle/:stamp/:file', async ({ params, request }) => {
    if (!bundledFiles.has(params.file)) throw notFound('asset_not_found', 'No such asset')
    const bundle = await bundleOf(params.file)
    const headers = { ...immutable, 'content-type': 'text/javascript;charset=utf-8', vary: 'accept-encoding' }
    if (!/\bgzip\b/.test(request.headers.get('accept-encoding') ?? '')) return new Response(bundle.text, { headers })
    return new Response(bundle.gzipped, { headers: { ...headers, 'content-encoding': 'gzip' } })
  })
  .get('/assets/web/:stamp/*', ({ params }) => {
    const path = normalize(join(webFolder, params['*']))
    if (!path.startsWith(`${webFolder}/`) || !existsSync(path)) throw notFound('asset_not_found', 'No such asset')
    return fileResponse(path)
  })
