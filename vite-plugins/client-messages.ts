/**
 * Per-module message catalogs for the browser (issue 10: each route's JavaScript within 150 KB
 * gzipped). The whole catalog of one language was about 45 KB gzipped and rode on every page; a
 * page needs a small share of it. In the client build, every module under app/ that names catalog
 * keys gets those keys' messages (both languages, the page picks its own) registered at the top
 * of the module, so a route carries exactly the messages its own code can show and a client-side
 * navigation brings the next route's messages with its code. Keys that reach the browser only as
 * data (a flash message, a server-side validation reference in a module the route does not own)
 * are caught at run time: app/lib/catalogs.client.ts then loads the page language's whole catalog
 * (hydration waits for it, later renders update when it arrives), so a missed key costs weight,
 * never a wrong text. docs/decisions/030-client-weight.md.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Plugin } from 'vite'

type Messages = Record<string, string>

/**
 * Catalog keys the source text names: a whole key (`'experts.title'`, `messageRef('a.b', …)`,
 * `'a.b?max=64'`), or a key prefix that code completes at run time (`` `experts.tier.${tier}` ``,
 * `'grading.rule.' + k`), which stands for every key it starts. Comments count too: a key
 * mentioned only in a comment costs a few bytes, a key missed costs the whole catalog.
 */
export function referencedMessageKeys(source: string, keys: readonly string[]): Set<string> {
  const known = new Set(keys)
  const found = new Set<string>()
  // A dotted name; a template or a concatenation may complete it (`a.b.${x}`, `a.b.level${n}`,
  // 'a.b.' + x): then it stands for every key it starts.
  for (const match of source.matchAll(/(?<![\w.$-])[A-Za-z][\w-]*(?:\.[\w:-]*)+/g)) {
    const token = match[0]
    const completed = /^(?:\$\{|['"`]\s*\+)/.test(source.slice(match.index + token.length, match.index + token.length + 8))
    if (completed) {
      for (const key of keys) if (key.startsWith(token)) found.add(key)
    } else if (known.has(token)) {
      found.add(token)
    }
  }
  return found
}

/**
 * The first two segments of every key, by first segment (`{ experts: 'nav roster tier …' }`): how
 * the browser tells a key the server sent from other dotted text (a setting's id
 * `experts.ageLimit`, an audit action `auth.sign_in`) without the key list (about 2 KB gzipped
 * instead of 15, in a lazy chunk: app/lib/message-prefixes.ts).
 */
export function messagePrefixes(keys: readonly string[]): Record<string, string> {
  const byFirst = new Map<string, Set<string>>()
  for (const key of keys) {
    const [first = '', second = ''] = key.split('.')
    byFirst.set(first, (byFirst.get(first) ?? new Set()).add(second))
  }
  return Object.fromEntries([...byFirst].sort().map(([first, seconds]) => [first, [...seconds].sort().join(' ')]))
}

interface ClientMessagesOptions {
  /** The app directory; only its modules are scanned. */
  appDir: string
  /** Modules never scanned: the catalogs themselves and the module that registers messages. */
  skip: (file: string) => boolean
  /** The module exporting `addMessages(zhCN, en)` (app/lib/catalogs.client.ts). */
  registry: string
  catalogs: { 'zh-CN': Messages; en: Messages }
}

/** The module specifiers a module imports for values (`import … from '…'`, `import '…'`, `export … from '…'`; not `import type`). */
export function importedSpecifiers(code: string): Set<string> {
  const statements = code.matchAll(/(?:^|[\s;}])(?:import|export)\s*([\w*{}\s,$]*?\bfrom\s*)?(['"])([^'"\n]+)\2/g)
  return new Set([...statements].filter((m) => !/^type\s/.test(m[1] ?? '')).map((m) => m[3]!))
}

/** Remix's server-only modules: `*.server.ts` files and anything under a `.server/` folder. */
const SERVER_ONLY = /\.server(?:\.[jt]sx?$|[\\/])/

/** What one app module names: its catalog keys and the app modules it imports for values (resolved to files). */
interface ModuleFacts {
  keys: Set<string>
  imports: string[]
}

interface ServerImportGraphOptions {
  appDir: string
  /** Which files are read (under `appDir`, JavaScript or TypeScript, not skipped). */
  scanned: (file: string) => boolean
  keys: readonly string[]
}

/**
 * The app's import graph as the second step walks it: each module read once per build (a route's
 * server code shares `auth/`, `lib/` and query modules with dozens of other routes), imports
 * resolved by hand (asking Vite would trip the Remix plugin's guard against `.server` imports).
 */
export function serverImportGraph({ appDir, scanned, keys }: ServerImportGraphOptions) {
  const facts = new Map<string, Promise<ModuleFacts | null>>()
  let reads = 0

  /** `#app/…` and relative specifiers, as written or (should one ever be written so) without extension or as a folder's index. */
  async function resolve(specifier: string, importer: string): Promise<string | null> {
    // `?url`, `?raw`: the module's text or address, not its code.
    if (specifier.includes('?')) return null
    const base = specifier.startsWith('#app/')
      ? path.join(appDir, specifier.slice('#app/'.length))
      : specifier.startsWith('.')
        ? path.resolve(path.dirname(importer), specifier)
        : null
    if (!base) return null
    const candidates = /\.[jt]sx?$/.test(base) ? [base] : ['.ts', '.tsx', '/index.ts', '/index.tsx'].map((ext) => base + ext)
    for (const file of candidates) {
      if (!scanned(file)) continue
      const stat = await fs.stat(file).catch(() => null)
      if (stat?.isFile()) return file
    }
    return null
  }

  function factsOf(file: string): Promise<ModuleFacts | null> {
    let found = facts.get(file)
    if (!found) {
      found = fs.readFile(file, 'utf8').then(
        async (code) => {
          reads += 1
          const imports = await Promise.all([...importedSpecifiers(code)].map((specifier) => resolve(specifier, file)))
          return { keys: referencedMessageKeys(code, keys), imports: imports.filter((f): f is string => f !== null) }
        },
        () => null,
      )
      facts.set(file, found)
    }
    return found
  }

  /**
   * The modules reachable from `roots`, never entering `stop` nor, below the roots, a module
   * `enter` refuses; each visited once, so a cycle ends.
   */
  async function closure(
    roots: Iterable<string>,
    stop: ReadonlySet<string> = new Set(),
    enter = (_file: string) => true,
  ): Promise<Set<string>> {
    const seen = new Set<string>()
    let frontier = [...roots]
    for (let depth = 0; frontier.length; depth += 1) {
      const next: string[] = []
      for (const file of frontier) {
        if (seen.has(file) || stop.has(file) || (depth > 0 && !enter(file))) continue
        seen.add(file)
        next.push(...((await factsOf(file))?.imports ?? []))
      }
      frontier = next
    }
    return seen
  }

  return {
    resolve,
    /**
     * The keys a route's server code can hand the page as data, less those the page already has.
     * `imports`: the route module's value imports before the Remix plugin stripped its server
     * code; `kept`: the ones still there after. Walked: what only the server code imported, and
     * what those modules import, at any depth. Not walked: the route's client graph (the kept
     * imports and all they import), whose modules are in the page's chunks and registered their
     * own keys (so their keys are left out too); and, below the route's own imports, another
     * `.server` module: see `clientMessages` for why.
     */
    async serverKeys(route: string, imports: Iterable<string>, kept: ReadonlySet<string>): Promise<Set<string>> {
      const clientRoots: string[] = []
      const serverRoots: string[] = []
      for (const specifier of imports) {
        const file = await resolve(specifier, route)
        if (file) (kept.has(specifier) ? clientRoots : serverRoots).push(file)
      }
      const client = await closure(clientRoots)
      const clientKeys = new Set<string>()
      for (const file of client) for (const key of (await factsOf(file))?.keys ?? []) clientKeys.add(key)
      const found = new Set<string>()
      for (const file of await closure(serverRoots, client, (file) => !SERVER_ONLY.test(file))) {
        for (const key of (await factsOf(file))?.keys ?? []) if (!clientKeys.has(key)) found.add(key)
      }
      return found
    },
    /** How many files were read (each at most once). */
    reads: () => reads,
  }
}

/**
 * Build only (the dev server keeps the whole catalog: entry.client.tsx loads it). Two steps per
 * module. Before the Remix plugin strips loaders and actions, the module's own keys are
 * registered, so keys an action returns (validation references, flash messages) come along. After
 * it, for a route module, the app modules that only its server code imported are read, and the
 * modules they import in turn (`serverImportGraph`): their keys reach the page as loader or
 * action data and are registered with the route. A key may sit several imports deep: the
 * matching-config action calls `cases/matching.server.ts`, which runs the validator in
 * `matching/config.ts`, whose problems come back as action data.
 *
 * Where the walk stops, and why (measured: ADR 030, "Keys several imports deep"):
 * - the route's client graph: those modules ride in the page's chunks with their own keys;
 * - below the route's own imports, any other `.server` module. A `.server` module the route
 *   imports is its data source, and the plain modules under it (validators, rules, label maps)
 *   make the values it returns. A `.server` module one of those calls is another part of the
 *   server with uses of its own: the export-job registry reaches every area's column labels,
 *   audit and settings reach their own vocabularies. Following them put up to 285 keys (about
 *   8 KB gzipped) on pages that show none of them, and grows with every new export or area;
 *   a key that really travels that far still shows through the whole-catalog fallback
 *   (app/lib/catalogs.client.ts), and the browser e2e test names it.
 */
export function clientMessages({ appDir, skip, registry, catalogs }: ClientMessagesOptions): Plugin[] {
  const keys = Object.keys(catalogs['zh-CN'])
  const routesDir = path.join(appDir, 'routes') + path.sep
  const ownKeys = new Map<string, { keys: Set<string>; imports: Set<string> }>()
  const scanned = (file: string) => !(!file.startsWith(appDir + path.sep) || !/\.[jt]sx?$/.test(file) || skip(file))
  const graph = serverImportGraph({ appDir, scanned, keys })
  const register = (found: Set<string>, local: string) => {
    const pick = (messages: Messages) => JSON.stringify(Object.fromEntries([...found].map((key) => [key, messages[key]])))
    // On the first line, so the module's own line numbers (and its source map) stay as they were.
    return `import { addMessages as ${local} } from ${JSON.stringify(registry)};${local}(${pick(catalogs['zh-CN'])}, ${pick(catalogs.en)});`
  }
  return [
    {
      name: 'tiaojie:client-messages',
      apply: 'build',
      enforce: 'pre',
      transform(code, id, options) {
        const file = id.split('?')[0]!
        if (options?.ssr || id.includes('?') || !scanned(file)) return null
        const found = referencedMessageKeys(code, keys)
        if (file.startsWith(routesDir)) ownKeys.set(file, { keys: found, imports: importedSpecifiers(code) })
        return found.size ? { code: register(found, '__addMessages') + code, map: null } : null
      },
    },
    {
      name: 'tiaojie:client-messages-server-imports',
      apply: 'build',
      enforce: 'post',
      async transform(code, id, options) {
        const own = !options?.ssr && !id.includes('?') ? ownKeys.get(id) : undefined
        if (!own) return null
        const found = await graph.serverKeys(id, own.imports, importedSpecifiers(code))
        for (const key of own.keys) found.delete(key)
        return found.size ? { code: register(found, '__addLoaderMessages') + code, map: null } : null
      },
    },
  ]
}
