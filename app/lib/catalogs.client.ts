/**
 * The message catalogs in the browser: only the language the page was rendered in, fetched as
 * its own chunk by entry.client.tsx before hydration. Replaces `catalogs.ts` in the client build
 * (see the `clientCatalogs` plugin in vite.config.ts); the language switch reloads the document,
 * so a page never needs the other catalog.
 */
import type { Catalog, Locale } from './i18n.ts'

export const catalogs: Partial<Record<Locale, Catalog>> = {}

export async function loadCatalog(locale: Locale): Promise<void> {
  if (catalogs[locale]) return
  catalogs[locale] = locale === 'en' ? (await import('#app/locales/en.ts')).en : (await import('#app/locales/zh-CN.ts')).zhCN
}
