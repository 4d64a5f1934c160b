/**
 * The message catalogs in the browser. Replaces `catalogs.ts` in the client build (the
 * `clientCatalogs` plugin in vite.config.ts). Only the page's own language is kept (the language
 * switch reloads the document).
 *
 * In a production build each module brings the messages it names (`addMessages`, injected by
 * vite-plugins/client-messages.ts), so a page carries a small share of the catalog instead of all
 * of it (issue 10). A key that arrives only as data and was not registered (a flash message set
 * by another page, say) makes this module load the language's whole catalog: before hydrating,
 * entry.client.tsx looks for such keys in the data the server sent (`loadMessagesFor`) and waits
 * for it, so the first render matches the server's; later (a client-side navigation) the text
 * shows the key for a moment and every `useT` re-renders when the catalog arrives. The dev
 * server has no per-module messages: entry.client.tsx loads the whole catalog before hydrating.
 * docs/decisions/030-client-weight.md.
 */
import type { Catalog, Locale } from './i18n.ts'

/** The first segments of the catalog keys (`experts`, `validation`…), injected by vite.config.ts. */
declare const __MESSAGE_NAMESPACES__: readonly string[]

const pageLocale: Locale = document.documentElement.lang === 'en' ? 'en' : 'zh-CN'
const messages: Partial<Catalog> = {}
const namespaces = new Set(__MESSAGE_NAMESPACES__)

let whole: Promise<void> | undefined
let wholeLoaded = false
let version = 0
const listeners = new Set<() => void>()

/** Dotted text in a key's namespace that has no message here: maybe a key the page was not given. */
function unregistered(value: string): boolean {
  const dot = value.indexOf('.')
  return !wholeLoaded && dot > 0 && namespaces.has(value.slice(0, dot)) && !Object.hasOwn(messages, value)
}

/** Loads the whole catalog when one of these is a key (the key prefixes are a lazy module of their own). */
async function loadIfKeys(candidates: string[]): Promise<void> {
  if (!candidates.length) return
  const { mayBeMessageKey } = await import('./message-prefixes.ts')
  const key = candidates.find(mayBeMessageKey)
  if (!key) return
  // Said once per page, so a key the build could not see in any module can be found and named there.
  if (!whole) console.warn(`catalog: "${key}" is not among this page's messages; loading the whole catalog`)
  await loadCatalog(pageLocale)
}

/** A lookup that missed: fetch the whole catalog if it was a key (useT re-renders when it is here). */
function missing(key: string | symbol): void {
  if (typeof key === 'string' && unregistered(key)) void loadIfKeys([key])
}

const catalog = new Proxy(messages, {
  get(target, key) {
    missing(key)
    return Reflect.get(target, key)
  },
  getOwnPropertyDescriptor(target, key) {
    missing(key)
    return Reflect.getOwnPropertyDescriptor(target, key)
  },
})

export const catalogs: Partial<Record<Locale, Catalog>> = { [pageLocale]: catalog as Catalog }

/**
 * Before hydrating (entry.client.tsx): the keys the server sent as data (a sidebar label, a
 * flash message, a validation reference) are in the page's inline scripts. When one of them has
 * no message yet, the whole catalog is loaded first, so the first render matches the server's.
 */
export function loadMessagesFor(text: string): Promise<void> {
  const tokens = [...text.matchAll(/(?<![\w.$/-])[A-Za-z][\w-]*(?:\.[\w:-]+)+/g)].map(([token]) => token)
  return loadIfKeys([...new Set(tokens)].filter(unregistered))
}

/** Registers one module's messages in both languages; the page's own language is kept. */
export function addMessages(zhCN: Partial<Catalog>, en: Partial<Catalog>): void {
  Object.assign(messages, pageLocale === 'en' ? en : zhCN)
}

/** Loads the page language's whole catalog (a lazy chunk); a no-op once it is here. */
export function loadCatalog(locale: Locale): Promise<void> {
  if (locale !== pageLocale) return Promise.resolve()
  whole ??= (locale === 'en' ? import('#app/locales/en.ts').then((m) => m.en) : import('#app/locales/zh-CN.ts').then((m) => m.zhCN)).then(
    (all) => {
      Object.assign(messages, all)
      wholeLoaded = true
      version += 1
      for (const listener of listeners) listener()
    },
  )
  return whole
}

/** For `useSyncExternalStore`: components re-render when the whole catalog has arrived. */
export function subscribeCatalogs(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export function catalogVersion(): number {
  return version
}
