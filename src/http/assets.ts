// Front-end files, all served by MoviePoint itself (a home server may be offline: no CDN).
// Vendor files come from node_modules under a fixed allow-list; our own from web/.
// URLs carry the package version or a content hash, so they are cached for a year.
import { existsSync, readFileSync } from 'node:fs'
import { join, normalize, resolve } from 'node:path'
import { Elysia } from 'elysia'
import { notFound } from './errors'

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

export function vendorUrl(name: string): string {
  const entry = vendorFiles[name]
  if (!entry) throw new Error(`unknown vendor asset ${name}`)
  if (!versions.has(entry.pkg)) versions.set(entry.pkg, packageVersion(entry.pkg))
  return `/assets/vendor/${versions.get(entry.pkg)}/${name}`
}

// Our own files: cache-busted by their modification time.
export function webUrl(file: string): string {
  const stamp = Bun.file(join(webFolder, file)).lastModified.toString(36)
  return `/assets/web/${stamp}/${file}`
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
  .get('/assets/web/:stamp/*', ({ params }) => {
    const path = normalize(join(webFolder, params['*']))
    if (!path.startsWith(`${webFolder}/`) || !existsSync(path)) throw notFound('asset_not_found', 'No such asset')
    return fileResponse(path)
  })
