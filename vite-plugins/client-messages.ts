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

/**
 * Build only (the dev server keeps the whole catalog: entry.client.tsx loads it). Two steps per
 * module. Before the Remix plugin strips loaders and actions, the module's own keys are
 * registered, so keys an action returns (validation references, flash messages) come along. After
 * it, for a route module, the app modules that only its server code imported (a `.server.ts`
 * query, the sidebar's rules in auth/navigation.ts) are read too: their keys reach the page as
 * loader data and are registered with the route.
 */
export function clientMessages({ appDir, skip, registry, catalogs }: ClientMessagesOptions): Plugin[] {
  const keys = Object.keys(catalogs['zh-CN'])
  const routesDir = path.join(appDir, 'routes') + path.sep
  const ownKeys = new Map<string, { keys: Set<string>; imports: Set<string> }>()
  const scanned = (file: string) => !(!file.startsWith(appDir + path.sep) || !/\.[jt]sx?$/.test(file) || skip(file))
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
        const kept = importedSpecifiers(code)
        const found = new Set<string>()
        for (const specifier of own.imports) {
          if (kept.has(specifier)) continue
          // Resolved by hand: asking Vite would trip the Remix plugin's guard against .server imports.
          const resolved = specifier.startsWith('#app/')
            ? path.join(appDir, specifier.slice('#app/'.length))
            : specifier.startsWith('.')
              ? path.resolve(path.dirname(id), specifier)
              : null
          if (!resolved || !scanned(resolved)) continue
          for (const key of referencedMessageKeys(await fs.readFile(resolved, 'utf8'), keys)) if (!own.keys.has(key)) found.add(key)
        }
        return found.size ? { code: register(found, '__addLoaderMessages') + code, map: null } : null
      },
    },
  ]
}
