/**
 * The message catalogs on the server (and in tests): both languages, loaded up front.
 *
 * The browser build swaps this module for `catalogs.client.ts` (the `clientCatalogs` plugin in
 * vite.config.ts), which loads only the page's own language, so no page ships both catalogs
 * (issue 10: each route within 150 KB gzipped).
 */
import { en } from '#app/locales/en.ts'
import { zhCN } from '#app/locales/zh-CN.ts'
import type { Catalog, Locale } from './i18n.ts'

export const catalogs: Partial<Record<Locale, Catalog>> = { 'zh-CN': zhCN, en }

/** Both catalogs are already here on the server. */
export async function loadCatalog(_locale: Locale): Promise<void> {}

/** The browser may lack messages for keys the server sent (catalogs.client.ts); the server has them all. */
export async function loadMessagesFor(_text: string): Promise<void> {}

/** Both catalogs are complete from the start: nothing to subscribe to. */
export function subscribeCatalogs(_listener: () => void): () => void {
  return () => {}
}

export function catalogVersion(): number {
  return 0
}
