/**
 * Settings read for display, kept per process for a few seconds (issue 10: at most 10 queries per
 * page). A page that only shows a setting (a badge, a hint, a warning) would otherwise read the
 * `settings` table on every request for values that change a few times a year. A change saved on
 * the administration page clears this process's copies at once (`updateSetting`); other app
 * processes see it within `SETTINGS_CACHE_MS`. Code that enforces a setting (an upload's size
 * limit, an admission's age check) keeps calling `readSettings`, so a limit is never stale.
 */
import type { Executor } from '#app/lib/db.server.ts'
import { type SettingDefinition, readSettings } from '#app/lib/settings.server.ts'
import { SwrCache } from '#app/lib/swr-cache.ts'

/** How long a process shows a setting it read before reading it again. */
export const SETTINGS_CACHE_MS = 5_000

type Definitions = Record<string, SettingDefinition<unknown>>
type Values<D extends Definitions> = { [K in keyof D]: D[K]['fallback'] }

const caches = new Set<{ clear(): void }>()

/**
 * A reader of `definitions` that answers from this process's copy while it is younger than
 * `SETTINGS_CACHE_MS`, and otherwise in one query like `readSettings`. Concurrent first reads
 * share that query.
 */
export function cachedSettingsReader<D extends Definitions>(definitions: D): (db: Executor, now?: number) => Promise<Values<D>> {
  // Fresh and stale windows equal: a plain expiry, never a stale answer past the window.
  const cache = new SwrCache<Values<D>>({ freshMs: SETTINGS_CACHE_MS, staleMs: SETTINGS_CACHE_MS, max: 1 })
  caches.add(cache)
  return async (db, now = Date.now()) => (await cache.get('values', () => readSettings(db, definitions), now)).value
}

/** Forgets every cached setting of this process: after a change is saved. */
export function forgetCachedSettings(): void {
  for (const cache of caches) cache.clear()
}
