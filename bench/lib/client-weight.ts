/**
 * Client weight (issue 10, item 4): the JavaScript a browser downloads to open each route, from
 * the client build's Remix manifest (build/client/assets/manifest-<hash>.js). A route's weight is
 * the entry (entry.client with React and Remix), every route module from the root down to it and
 * the chunks they import statically, each counted once and gzipped with zlib (level 9, what a
 * reverse proxy's `gzip_static` would serve). Dynamic imports are lazy and left out. The messages
 * a page shows travel inside its modules (vite-plugins/client-messages.ts), so they are counted
 * with them; the whole catalog of a language (`catalogChunks`) is only the fallback for a key no
 * module names, which tests/e2e/client-weight.e2e.ts checks the pages never need.
 */
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'

/** Remix's browser manifest, written by every client build (the Vite manifest is removed after the build). */
export const CLIENT_MANIFEST = 'build/client/assets/manifest-*.js'
/** Issue 10: each route's JavaScript at most 150 KB gzipped. */
export const ROUTE_BUDGET_KB = 150

interface RemixModule {
  module: string
  imports?: string[]
}

export interface RemixManifest {
  entry: RemixModule
  routes: Record<
    string,
    RemixModule & { id: string; parentId?: string; path?: string; index?: boolean; hasLoader?: boolean; hasClientLoader?: boolean }
  >
}

export interface RouteWeight {
  /** Route id, e.g. routes/_app.people._index. */
  route: string
  files: number
  rawBytes: number
  gzipBytes: number
}

/** Reads `window.__remixManifest = {…}` from build/client/assets/manifest-<hash>.js, or null without a build. */
export function readManifest(root = '.'): RemixManifest | null {
  const dir = path.resolve(root, 'build/client/assets')
  if (!fs.existsSync(dir)) return null
  const file = fs.readdirSync(dir).find((f) => /^manifest-[\w-]+\.js$/.test(f))
  if (!file) return null
  const text = fs.readFileSync(path.join(dir, file), 'utf8')
  const json = text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1)
  return JSON.parse(json) as RemixManifest
}

/** The whole-catalog chunks of the client build (Vite names them after app/locales/en.ts and zh-CN.ts). */
export function catalogChunks(clientDir = path.resolve('build/client')): string[] {
  const dir = path.join(clientDir, 'assets')
  if (!fs.existsSync(dir)) return []
  return fs
    .readdirSync(dir)
    .filter((f) => /^(en|zh-CN)-[\w-]{8}\.js$/.test(f))
    .map((f) => `/assets/${f}`)
}

/**
 * Every route's weight, heaviest first: the entry module and its imports, then each route module
 * from the root down to the route, with the imports Remix preloads for them (already the static
 * import closure), each file counted once.
 */
export function routeWeights(manifest: RemixManifest, clientDir = path.resolve('build/client')): RouteWeight[] {
  const sizes = new Map<string, { raw: number; gzip: number }>()
  const sizeOf = (url: string) => {
    let size = sizes.get(url)
    if (!size) {
      const bytes = fs.readFileSync(path.join(clientDir, url.replace(/^\//, '')))
      size = { raw: bytes.length, gzip: zlib.gzipSync(bytes, { level: 9 }).length }
      sizes.set(url, size)
    }
    return size
  }
  const chain = (id: string): string[] => {
    const route = manifest.routes[id]
    return route ? [...(route.parentId ? chain(route.parentId) : []), id] : []
  }
  return Object.values(manifest.routes)
    .filter((route) => route.id !== 'root')
    .map((route) => {
      const files = new Set<string>([manifest.entry.module, ...(manifest.entry.imports ?? [])])
      for (const id of chain(route.id)) {
        const r = manifest.routes[id]!
        files.add(r.module)
        for (const url of r.imports ?? []) files.add(url)
      }
      const js = [...files].filter((f) => f.endsWith('.js'))
      return {
        route: route.id,
        files: js.length,
        rawBytes: js.reduce((s, f) => s + sizeOf(f).raw, 0),
        gzipBytes: js.reduce((s, f) => s + sizeOf(f).gzip, 0),
      }
    })
    .sort((a, b) => b.gzipBytes - a.gzipBytes)
}

export const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10

export function weightTable(weights: RouteWeight[], top = weights.length): string {
  const rows = weights
    .slice(0, top)
    .map((w) => [w.route.replace(/^routes\//, ''), String(w.files), `${kb(w.rawBytes)} KB`, `${kb(w.gzipBytes)} KB`])
  const header = ['route', 'files', 'raw', 'gzip']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) => cells.map((c, i) => (i ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ')
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}
