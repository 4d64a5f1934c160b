/**
 * What every area's queries share: the resolved scope, the period as instant bounds, a
 * translator in the reader's language, and the region names for roll-ups.
 */
import type { Executor } from '#app/lib/db.server.ts'
import { type Locale, type MessageKey, type MessageParams, translate } from '#app/lib/i18n.ts'
import type { ListScope } from '#app/modules/auth/policy.ts'
import { rollUpRegions } from './math.ts'
import { type StatsFilters, dayAfter } from './model.ts'

export interface StatsContext {
  db: Executor
  scope: ListScope
  rootPath: string
  filters: StatsFilters
  locale: Locale
  today: string
  t: (key: MessageKey, params?: MessageParams) => string
}

export function makeContext(
  db: Executor,
  scope: ListScope,
  rootPath: string,
  filters: StatsFilters,
  locale: Locale,
  today: string,
): StatsContext {
  return { db, scope, rootPath, filters, locale, today, t: (key, params) => translate(locale, key, params) }
}

/** Instant bounds of the period: `at >= start and at < end` (UTC days, as stored). */
export function periodBounds(filters: StatsFilters): { start: string; end: string } {
  return { start: filters.from, end: dayAfter(filters.to) }
}

/** Numbers from the driver (MariaDB returns counts and sums as strings or bigints). */
export const num = (value: unknown): number => Number(value ?? 0)

/**
 * Per-region figures (keyed by the region's path) rolled up to the children of the context's root,
 * labelled with the region names, largest first by the first value.
 */
export async function regionRows(
  ctx: StatsContext,
  rows: readonly { path: string; values: readonly number[] }[],
  width: number,
): Promise<{ label: string; values: number[] }[]> {
  const { groups } = rollUpRegions(rows, ctx.rootPath, width)
  const codes = [...groups.keys()]
  const names = new Map<string, string>()
  for (let i = 0; i < codes.length; i += 500) {
    const part = codes.slice(i, i + 500)
    if (!part.length) continue
    for (const r of await ctx.db.selectFrom('regions').select(['code', 'name']).where('code', 'in', part).execute())
      names.set(r.code, r.name)
  }
  return [...groups.entries()]
    .map(([code, values]) => ({ label: names.get(code) ?? code, values }))
    .sort((a, b) => b.values[0]! - a.values[0]! || (a.label < b.label ? -1 : 1))
}
